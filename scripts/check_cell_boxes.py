#!/usr/bin/env python3
"""Check the cell boxes of PDF records against pdftotext -bbox (poppler-utils):
each record's cell_bbox on cell_page must hold exactly the words that print its amount.

    budgetgrid extract samples/pdf -o /tmp/r.jsonl && scripts/check_cell_boxes.py /tmp/r.jsonl

Text compared after NFKC. Amounts printed wider than their cells in a font pdftotext
measures the same way (samples/pdf-fonts/f_cid_gbk_euc.pdf) run together into one
pdftotext word and fail here though their boxes are right (render the page to see).
"""
import json,sys,subprocess,re,html,collections,unicodedata
from decimal import Decimal
recs=[json.loads(l) for l in open(sys.argv[1])]
bysrc=collections.defaultdict(list)
for r in recs:
    if r['format']=='pdf': bysrc[r['source']].append(r)
tot=ok=0; bad=[]
for src,rs in bysrc.items():
    out=subprocess.run(['pdftotext','-bbox',src,'-'],capture_output=True,text=True).stdout
    pages=[]; cur=None
    for line in out.splitlines():
        if line.strip().startswith('<page'):
            cur=[]; pages.append(cur)
        m=re.search(r'<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">(.*)</word>',line)
        if m and cur is not None:
            cur.append((float(m[1]),float(m[2]),float(m[3]),float(m[4]),html.unescape(m[5])))
    for r in rs:
        tot+=1
        x0,t,x1,b=r['cell_bbox']; p=pages[r['cell_page']-1]
        ws=[w for w in p if x0-1<=(w[0]+w[2])/2<=x1+1 and t-1<=(w[1]+w[3])/2<=b+1]
        txt=unicodedata.normalize('NFKC',''.join(w[4] for w in ws)).replace(',','')
        try:
            good = Decimal(re.sub(r'[^\d.\-]','',txt) or 'x')==Decimal(r['amount'])
        except Exception: good=False
        if good: ok+=1
        else: bad.append((src.split('/')[-1][:20],r['cell_page'],r['table_type'],r['amount'],txt[:40]))
print(f'{sys.argv[1]}: {tot} PDF records, {ok} boxes hold exactly their amount')
for b in bad[:8]: print('  ',b)
sys.exit(0 if ok == tot else 1)
