#!/usr/bin/env python3
"""Write tests/fixtures/pdf/stream/*.pdf: small tables without (full) rulings, one case each
(needs `pip install reportlab`; the fixtures are committed, so tests and CI do not need it).

  sections.pdf         no rules: title, a heading over two column groups, section rows
                       (Sex, Race), a wrapped label, dot leaders, a paragraph after
  booktabs.pdf         horizontal rules only: over the header, under it, under the table
  box.pdf              a box around the table, no inner rules
  header_ruled.pdf     a box whose columns are ruled in the header only
  no_outer_border.pdf  inner column rules and row rules, no outer verticals
  two_tables.pdf       two tables with the same columns, one under the other, a title
                       and the repeated header between them
  prose_columns.pdf    two columns of running text: no table
  budget_unruled.pdf   a 一般公共预算支出表 printed without rules (STSong): wrapped heading
                       cells, a label wrapped around its centred values, split codes
"""
from reportlab.lib.pagesizes import A4
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.cidfonts import UnicodeCIDFont
from reportlab.pdfgen import canvas

OUT = "tests/fixtures/pdf/stream/"
W, H = A4
pdfmetrics.registerFont(UnicodeCIDFont("STSong-Light"))


def text(c, x, y, s, size=9, font="Helvetica", right=False, centre=False):
    c.setFont(font, size)
    if right:
        c.drawRightString(x, H - y, s)
    elif centre:
        c.drawCentredString(x, H - y, s)
    else:
        c.drawString(x, H - y, s)


def hline(c, x0, x1, y):
    c.setLineWidth(0.6)
    c.line(x0, H - y, x1, H - y)


def vline(c, x, y0, y1):
    c.setLineWidth(0.6)
    c.line(x, H - y0, x, H - y1)


# A small statistical table: label column at 60, four value columns right-aligned.
COLS = [250, 320, 410, 480]
ROWS = [
    ("Sex", None),
    ("Male", ["61,206", "2,862", "60,721", "2,962"]),
    ("Female", ["49,486", "2,909", "51,084", "2,795"]),
    ("Race", None),
    ("White", ["78,744", "3,174", "79,333", "3,222"]),
    ("Hispanic", ["12,609", "966", "12,739", "991"]),
]


def stat_table(c, top, rules=None, title=True, header_rules=False):
    """Draw the table with its first header line at `top`; returns the bottom y."""
    y = top
    if title:
        text(c, 60, y - 20, "Table 1. Housing by characteristic, 2007 and 2009", 10, "Helvetica-Bold")
    text(c, 285, y, "2007", centre=True)
    text(c, 445, y, "2009", centre=True)
    y += 13
    text(c, 60, y, "Characteristic")
    for x, h in zip(COLS, ["total", "inadequate", "total", "inadequate"]):
        text(c, x, y, h, right=True)
    head_bottom = y + 4
    y += 15
    for label, vals in ROWS:
        text(c, 60, y, label)
        if vals:
            for x, v in zip(COLS, vals):
                text(c, x, y, v, right=True)
        y += 13
    return head_bottom, y - 8


def sections():
    c = canvas.Canvas(OUT + "sections.pdf", pagesize=A4)
    text(c, 60, 60, "Table 1. Housing by characteristic, 2007 and 2009", 10, "Helvetica-Bold")
    y = 90
    text(c, 285, y, "2007", centre=True)
    text(c, 445, y, "2009", centre=True)
    y += 13
    text(c, 60, y, "Characteristic")
    for x, h in zip(COLS, ["total", "inadequate", "total", "inadequate"]):
        text(c, x, y, h, right=True)
    y += 15
    rows = [
        ("All ages . . . . . . . . .", ["110,692", "5,771", "111,800", "5,757"]),
        ("Sex", None),
        ("Male", ["61,206", "2,862", "60,721", "2,962"]),
        ("Female", ["49,486", "2,909", "51,084", "2,795"]),
        ("Race", None),
        ("American Indian/", None),
        ("Alaska Native", ["707", "51", "730", "55"]),
        ("Hispanic", ["12,609", "966", "12,739", "991"]),
    ]
    for label, vals in rows:
        text(c, 60, y, label)
        for x, v in zip(COLS, vals or []):
            text(c, x, y, v, right=True)
        y += 13
    y += 20
    for line in [
        "The survey counts every occupied housing unit once. Units are inadequate when they",
        "lack complete plumbing or kitchen facilities, or have severe heating problems.",
    ]:
        text(c, 60, y, line, 10)
        y += 13
    c.save()


def booktabs():
    c = canvas.Canvas(OUT + "booktabs.pdf", pagesize=A4)
    hline(c, 55, 490, 80)
    head_bottom, bottom = stat_table(c, 92, title=False)
    hline(c, 55, 490, head_bottom)
    hline(c, 55, 490, bottom + 4)
    c.save()


def box():
    c = canvas.Canvas(OUT + "box.pdf", pagesize=A4)
    _, bottom = stat_table(c, 92, title=False)
    c.setLineWidth(0.6)
    c.rect(55, H - (bottom + 4), 435, bottom + 4 - 80)
    c.save()


def header_ruled():
    c = canvas.Canvas(OUT + "header_ruled.pdf", pagesize=A4)
    head_bottom, bottom = stat_table(c, 92, title=False)
    c.setLineWidth(0.6)
    c.rect(55, H - (bottom + 4), 435, bottom + 4 - 80)
    hline(c, 55, 490, head_bottom)
    hline(c, 200, 490, 96)
    for x in [200, 255, 335, 415]:
        vline(c, x, 96 if x in (255, 415) else 80, head_bottom)
    c.save()


def no_outer_border():
    c = canvas.Canvas(OUT + "no_outer_border.pdf", pagesize=A4)
    y = 92
    xs = [55, 200, 255, 335, 415, 490]
    text(c, 60, y, "Characteristic")
    for x, h in zip(COLS, ["total", "inadequate", "total", "inadequate"]):
        text(c, x, y, h, right=True)
    lines_y = [80, y + 4]
    y += 15
    for label, vals in ROWS:
        if vals is None:
            continue
        text(c, 60, y, label)
        for x, v in zip(COLS, vals):
            text(c, x, y, v, right=True)
        lines_y.append(y + 4)
        y += 15
    for ly in lines_y:
        hline(c, xs[0], xs[-1], ly)
    for x in xs[1:-1]:
        vline(c, x, lines_y[0], lines_y[-1])
    c.save()


def two_tables():
    c = canvas.Canvas(OUT + "two_tables.pdf", pagesize=A4)
    _, bottom = stat_table(c, 92, title=True)
    text(c, 60, bottom + 30, "Table 2. Housing by characteristic, 2011 and 2013", 10, "Helvetica-Bold")
    y = bottom + 50
    text(c, 60, y, "Characteristic")
    for x, h in zip(COLS, ["total", "inadequate", "total", "inadequate"]):
        text(c, x, y, h, right=True)
    y += 15
    for label, vals in [("Male", ["1", "2", "3", "4"]), ("Female", ["5", "6", "7", "8"])]:
        text(c, 60, y, label)
        for x, v in zip(COLS, vals):
            text(c, x, y, v, right=True)
        y += 13
    c.save()


def prose_columns():
    c = canvas.Canvas(OUT + "prose_columns.pdf", pagesize=A4)
    left = [
        "The committee met twice during the year and considered",
        "the proposals submitted by the member agencies in full.",
        "It adopted the amended text after a long discussion of",
        "the budget allocation and the schedule for the reviews.",
        "Members agreed that the reports would be published in",
        "the spring, together with the accounts of the agencies.",
    ]
    right = [
        "Several agencies asked for more time to prepare their",
        "submissions, which the committee granted on condition",
        "that the accounts would be audited before publication.",
        "The secretariat will circulate the draft minutes to all",
        "members and collect their comments before the meeting",
        "at which the final version of the report is approved.",
    ]
    for k, (a, b) in enumerate(zip(left, right)):
        text(c, 50, 80 + 13 * k, a, 9)
        text(c, 310, 80 + 13 * k, b, 9)
    c.save()


def budget_unruled():
    c = canvas.Canvas(OUT + "budget_unruled.pdf", pagesize=A4)
    f = "STSong-Light"
    text(c, W / 2, 60, "2024年一般公共预算支出表", 14, f, centre=True)
    text(c, 470, 80, "单位：万元", 9, f)
    # Heading: 科目编码 over 类 款 项, 科目名称, and 本年支出 over 合计 | 基本支出 | 项目支出;
    # 基本支出 and 项目支出 wrap over two lines in their narrow columns.
    y = 100
    text(c, 85, y, "科目编码", 9, f, centre=True)
    text(c, 395, y, "本年支出", 9, f, centre=True)
    y += 13
    text(c, 190, y, "科目名称", 9, f, centre=True)
    text(c, 345, y, "合计", 9, f, centre=True)
    text(c, 400, y - 6, "基本", 9, f, centre=True)
    text(c, 400, y + 6, "支出", 9, f, centre=True)
    text(c, 455, y - 6, "项目", 9, f, centre=True)
    text(c, 455, y + 6, "支出", 9, f, centre=True)
    y += 16
    for x, h in [(60, "类"), (85, "款"), (110, "项")]:
        text(c, x, y, h, 9, f, centre=True)
    y += 15
    rows = [
        ("201", "", "", "一般公共服务支出", "350.92", "131.92", "219.00"),
        ("201", "01", "", "人大事务", "120.50", "80.50", "40.00"),
        ("201", "01", "01", "行政运行", "80.50", "80.50", ""),
        ("208", "05", "05", None, "803.68", "803.68", ""),
        ("221", "02", "01", "住房公积金", "20.00", "20.00", ""),
    ]
    for a, b, d, name, t, basic, proj in rows:
        if name is None:
            # A label wrapped over two lines, its values centred between them.
            text(c, 135, y - 6, "机关事业单位基本养老保险", 9, f)
            text(c, 135, y + 6, "缴费支出", 9, f)
        else:
            text(c, 135, y, name, 9, f)
        for x, v in [(60, a), (85, b), (110, d)]:
            if v:
                text(c, x, y, v, 9, f, centre=True)
        for x, v in [(370, t), (425, basic), (480, proj)]:
            if v:
                text(c, x, y, v, 9, f, right=True)
        y += 24 if name is None else 15
    text(c, 190, y, "合计", 9, f, centre=True)
    for x, v in [(370, "1,174.60"), (425, "935.60"), (480, "239.00")]:
        text(c, x, y, v, 9, f, right=True)
    c.save()


if __name__ == "__main__":
    import os

    os.makedirs(OUT, exist_ok=True)
    for make in [sections, booktabs, box, header_ruled, no_outer_border, two_tables,
                 prose_columns, budget_unruled]:
        make()
