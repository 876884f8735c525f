#!/usr/bin/env python3
"""Generate the inputs of every reproduction of issue 14 (hostile and damaged inputs).
   python3 make_repros.py [OUT]         small inputs (all < 6 MB) into OUT (default ./inputs)
   python3 make_repros.py [OUT] --big   also the big ones (60 MB HTML, 200 MB text, 20 GiB bomb)
Copied from the project's shared adversarial set; the sample paths point into this
repository's samples/. The 8 GiB flate bomb takes a minute of Python to build, so its
14 KB result is kept beside this script (d02_flate_bomb_8g_double.pdf) and copied."""
import os, sys, zlib, shutil
HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.join(HERE, "..", "..")
BIG = "--big" in sys.argv
ARGS = [a for a in sys.argv[1:] if not a.startswith("--")]
D = ARGS[0] if ARGS else os.path.join(HERE, "inputs")
os.makedirs(D, exist_ok=True)
KEPT = os.path.join(HERE, "d02_flate_bomb_8g_double.pdf")
if not BIG and os.path.exists(KEPT) and not os.path.exists(os.path.join(D, "d02_flate_bomb_8g_double.pdf")):
    shutil.copy(KEPT, D)
def w(name, data):
    with open(os.path.join(D, name), "wb") as f:
        f.write(data if isinstance(data, bytes) else data.encode())

# ---- minimal PDF writer -------------------------------------------------------------
def build(objs, root=1):
    out = bytearray(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n"); offs = {}
    for n in sorted(objs):
        offs[n] = len(out); out += b"%d 0 obj\n" % n + objs[n] + b"\nendobj\n"
    size = max(objs) + 1; xo = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % size
    for n in range(1, size):
        out += (b"%010d 00000 n \n" % offs[n]) if n in offs else b"0000000000 65535 f \n"
    out += b"trailer\n<< /Size %d /Root %d 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (size, root, xo)
    return bytes(out)
def stream(data, extra=b""):
    return b"<< /Length %d %s>>\nstream\n" % (len(data), extra) + data + b"\nendstream"
def flate(comp, extra=b""):
    return b"<< /Length %d /Filter /FlateDecode %s>>\nstream\n" % (len(comp), extra) + comp + b"\nendstream"
FONT = b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>"
BASIC = b"BT /F1 12 Tf 72 700 Td (201 100.00 200.00) Tj ET"
def page_pdf(content_obj, font=FONT, extra=None, res_extra=b""):
    objs = {1: b"<< /Type /Catalog /Pages 2 0 R >>",
            2: b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
            3: b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << /Font << /F1 5 0 R >> %s>> /Contents 4 0 R >>" % res_extra,
            4: content_obj, 5: font}
    if extra: objs.update(extra)
    return build(objs)

# D1: predictor parameters -> 124 GiB allocation -> abort
w("d01_predictor_abort.pdf", page_pdf(flate(zlib.compress(BASIC), b"/DecodeParms << /Predictor 2 /Columns 4294967295 /Colors 255 >> ")))

# D2: decompression bomb, two FlateDecode layers (8 GiB of spaces; 14 KB file) -- built streaming
def bomb(nbytes):
    c = zlib.compressobj(9); parts = [c.compress(BASIC)]; chunk = b" " * (1 << 20); done = 0
    while done < nbytes:
        parts.append(c.compress(chunk)); done += len(chunk)
    parts.append(c.flush()); return b"".join(parts)
def double_bomb(gib, name):
    inner = bomb(gib << 30); outer = zlib.compress(inner, 9)
    w(name, page_pdf(b"<< /Length %d /Filter [/FlateDecode /FlateDecode] >>\nstream\n" % len(outer) + outer + b"\nendstream"))
    return inner
if BIG or not os.path.exists(os.path.join(D, "d02_flate_bomb_8g_double.pdf")):
    double_bomb(8, "d02_flate_bomb_8g_double.pdf")      # ~14 KB, needs ~1 min of python CPU
if BIG:
    double_bomb(20, "d02_flate_bomb_20g_double.pdf")    # ~33 KB, ~2.5 min

# D3: CID font /W range with 4 billion CIDs
f0 = b"<< /Type /Font /Subtype /Type0 /BaseFont /STSong-Light /Encoding /UniGB-UCS2-H /DescendantFonts [6 0 R] >>"
d0 = b"<< /Type /Font /Subtype /CIDFontType0 /BaseFont /STSong-Light /CIDSystemInfo << /Registry (Adobe) /Ordering (GB1) /Supplement 2 >> /DW 1000 /W [0 4294967295 500] >>"
w("d03_cidfont_w_range.pdf", page_pdf(stream(b"BT /F1 12 Tf 72 700 Td <00320030003100200031> Tj ET"), font=f0, extra={6: d0}))

# D4: Form XObject fan-out 2^40
res = b"/XObject << " + b" ".join(b"/X%d %d 0 R" % (i, 100 + i) for i in range(40)) + b" >> /Font << /F1 5 0 R >>"
objs = {1: b"<< /Type /Catalog /Pages 2 0 R >>", 2: b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        3: b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << %s >> /Contents 4 0 R >>" % res,
        4: stream(BASIC + b" /X0 Do"), 5: FONT}
for i in range(40):
    body = (b"/X%d Do /X%d Do" % (i + 1, i + 1)) if i < 39 else b"BT /F1 8 Tf 10 10 Td (1.00) Tj ET 0 0 m 10 10 l S"
    objs[100 + i] = stream(body, b"/Type /XObject /Subtype /Form /BBox [0 0 100 100] /Resources << %s >> " % res)
w("d04_form_fanout_2pow40.pdf", build(objs))

# D5: the same glyph drawn N times at one position (quadratic de-duplication of fake bold)
for n in (100000, 200000):
    w(f"d05_same_pos_text_{n}.pdf", page_pdf(flate(zlib.compress(b"BT /F1 12 Tf 72 700 Td (1) Tj ET\n" * n, 9))))

# D6: 10,000 pages sharing one content stream of 2,000 text runs (1.5 MB) -> 11 GB RSS
def shared(N, G, name):
    t = b"BT /F1 6 Tf " + b"".join(b"1 0 0 1 %d %d Tm (%d.00) Tj\n" % (20 + (i % 10) * 55, 20 + (i // 10) * 4, i) for i in range(G)) + b" ET"
    objs = {1: b"<< /Type /Catalog /Pages 2 0 R >>", 4: flate(zlib.compress(t, 9)), 5: FONT}
    objs[2] = b"<< /Type /Pages /Kids [" + b" ".join(b"%d 0 R" % (10 + i) for i in range(N)) + b"] /Count %d >>" % N
    for i in range(N):
        objs[10 + i] = b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << /Font << /F1 5 0 R >> >> /Contents 4 0 R >>"
    w(name, build(objs))
shared(2000, 2000, "d06_shared_content_2000p.pdf")
shared(10000, 2000, "d06_shared_content_10000p.pdf")

# D7: amount at the top of the Decimal range -> "Addition overflowed" panic
BASE = """# 某某局2025年部门预算

## 一般公共预算支出表

单位：万元

| 科目编码 | 科目名称 | 合计 | 基本支出 | 项目支出 |
|---|---|---|---|---|
|  | 合计 | 300.00 | 200.00 | 100.00 |
| 201 | 一般公共服务支出 | 300.00 | 200.00 | 100.00 |
| 20103 | 政府办公厅（室）及相关机构事务 | 300.00 | 200.00 | 100.00 |
| 2010301 | 行政运行 | 200.00 | 200.00 | 0.00 |
| 2010302 | 一般行政管理事务 | 100.00 | 0.00 | 100.00 |
"""
w("good_base.md", BASE)
w("d07_decimal_overflow.md", BASE.replace("| 2010301 | 行政运行 | 200.00 |", "| 2010301 | 行政运行 | 79228162514264337593543950335 |"))

# D8: one stray non-UTF-8 byte flips the whole file to GB18030
b = BASE.encode(); j = b.index(b"## ")
w("d08_one_latin1_byte.md", b[:j] + b"\xa9 2025\n" + b[j:])
w("d08_bom_utf8_on_gbk.md", b"\xef\xbb\xbf" + BASE.encode("gbk"))
w("d08_mixed_utf8_gbk.md", BASE[:200].encode() + BASE[200:].encode("gbk"))
sample = os.path.join(ROOT, "samples/text/000_677e722673e8eeea.txt")
if os.path.exists(sample):
    s = open(sample, "rb").read(); i = s.index("第一部分".encode())
    w("d08_sample000_one_ff_byte.txt", s[:i] + b"\xff" + s[i:])
hs = os.path.join(ROOT, "samples/html/000_677e722673e8eeea.html")
if os.path.exists(hs):
    import re
    h = re.sub(rb'(?i)<meta[^>]*charset[^>]*>', b'', open(hs, "rb").read()); i = h.index("部门".encode())
    w("d08_html_nometa_one_byte.html", h[:i] + b"\xa9" + h[i:])

# D9: truncated PDFs that "succeed"
for src, pct, name in [(os.path.join(ROOT, "samples/pdf-fonts/a_cid_stsong_50p.pdf"), 20, "d09_trunc20_a_cid_stsong_50p.pdf"),
                       (os.path.join(ROOT, "samples/pdf/000_677e722673e8eeea.pdf"), 80, "d09_trunc80_000.pdf"),
                       (os.path.join(ROOT, "samples/pdf-fonts/e_rotate90_wqy.pdf"), 50, "d09_trunc50_e_rotate90.pdf")]:
    if os.path.exists(src):
        d = open(src, "rb").read(); w(name, d[:len(d) * pct // 100])

# D13: quadratic "<table" scan in text
w("d13_tables_open_200k.md", "<table>" * 200000 + "</table>")

# D14: layout text with many columns
import random
rng = random.Random(1)
K = 1500
lines = ["一般公共预算支出表", "单位：万元", "科目编码     科目名称     " + "     ".join("合计" for _ in range(K))]
for r in range(40):
    lines.append(f"2010{r:03d}     行政运行     " + (" " * rng.randrange(4, 9)).join(f"{rng.randrange(1, 99999)}.{rng.randrange(100):02d}" for _ in range(K)))
w("d14_layout_1500cols.txt", "\n".join(lines) + "\n")

# D15: summary table with many name-only class lines (O(R^2) in codes_from_amounts)
for n in (32000, 64000):
    rows = "".join(f"| 一、一般公共预算拨款 | {i}.00 | 二十{i % 9 + 1}、奇异特别支出{i} | {i}.00 |\n" for i in range(n))
    w(f"d15_summary_{n}rows.md", f"# 某某局2025年部门预算\n\n## 部门收支总表\n\n单位：万元\n\n| 收入 | | 支出 | |\n|---|---|---|---|\n| 项目 | 预算数 | 项目 | 预算数 |\n{rows}| 收入总计 | 1.00 | 支出总计 | 1.00 |\n")

# D16 / D17: big HTML and text (only with --big)
HEAD = "<!DOCTYPE html><html><head><meta charset='utf-8'><title>x</title></head><body><h1>x</h1>"
if BIG:
    w("d16_html_4990b_p_60mb.html", HEAD + "<b>" * 4990 + "<p>x</p>" * ((60 << 20) // 8))
    w("d16_html_p_60mb.html", HEAD + "<p>x</p>" * ((60 << 20) // 8))
    w("d17_text_200mb_pipe_line.txt", "| 1.00 " * (200 * (1 << 20) // 7))

# D22: numbers silently dropped / altered
w("d22_500_digits.md", BASE.replace("| 2010301 | 行政运行 | 200.00 |", "| 2010301 | 行政运行 | " + "1" * 500 + " |"))
w("d22_long_fraction.md", BASE.replace("| 2010301 | 行政运行 | 200.00 |", "| 2010301 | 行政运行 | 0." + "1" * 500 + " |"))

# D23: a stray text line inside a TSV table
H = "某某局2025年部门预算\n一般公共预算支出表\n单位：万元\n科目编码\t科目名称\t合计\t基本支出\t项目支出\n201\t一般公共服务支出\t300.00\t200.00\t100.00\n20103\t政府办公厅（室）及相关机构事务\t300.00\t200.00\t100.00\n"
T = "2010301\t行政运行\t200.00\t200.00\t0.00\n2010302\t一般行政管理事务\t100.00\t0.00\t100.00\n"
w("d23_tsv_clean.txt", H + T)
w("d23_tsv_stray_line.txt", H + "note\n" + T)

# D24: misleading messages
w("d24_mediabox_1e30.pdf", build({1: b"<< /Type /Catalog /Pages 2 0 R >>", 2: b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
    3: b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 1e30 1e30] /Resources << /Font << /F1 5 0 R >> >> /Contents 4 0 R >>",
    4: stream(BASIC), 5: FONT}))
w("d24_empty.pdf", b"")
# D25 (added by budgetgrid): six pages whose streams each decode to 200 MiB (1.2 GiB in
# all, every stream under the per-stream cap): the per-document decode budget.
def d25():
    c = zlib.compressobj(9); parts = [c.compress(BASIC + b"\n")]; chunk = b" " * (1 << 20)
    for _ in range(200):
        parts.append(c.compress(chunk))
    parts.append(c.flush()); comp = b"".join(parts); n = 6
    objs = {1: b"<< /Type /Catalog /Pages 2 0 R >>", 5: FONT,
            2: b"<< /Type /Pages /Kids [" + b" ".join(b"%d 0 R" % (10 + i) for i in range(n)) + b"] /Count %d >>" % n}
    for i in range(n):
        objs[10 + i] = b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << /Font << /F1 5 0 R >> >> /Contents %d 0 R >>" % (100 + i)
        objs[100 + i] = flate(comp)
    w("d25_decoded_6x200m.pdf", build(objs))
d25()
print("inputs in", D)
