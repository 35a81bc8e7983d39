"""Make small real documents of a report's text: a portal web page, a Word file, a PDF.

They are written the way users get them: the page has navigation, scripts, styles and a
footer around the article and declares its charset in a meta tag; the Word file has a
table; the PDF breaks lines at the margin, indents paragraphs, breaks pages in the middle of
paragraphs and numbers its pages. Tests build each and compare it with the plain text.
"""
from __future__ import annotations

import html
import io
from collections.abc import Sequence


def paragraphs(text: str) -> list[str]:
    """Return the non-blank lines of a text, stripped."""
    return [line.strip() for line in text.splitlines() if line.strip()]


def make_html(paras: Sequence[str], charset: str = "utf-8", declare: str | None = None) -> bytes:
    """Return a government-portal page holding the paragraphs, encoded in `charset`.

    The first paragraph is the page's <h1>; `declare` is the charset named in the meta tag
    (default: `charset`).
    """
    body = "\n".join(f"<p style=\"text-indent:2em\">{html.escape(p)}</p>" for p in paras[1:])
    page = f"""<!DOCTYPE html>
<html lang="zh-CN"><head><meta http-equiv="Content-Type" content="text/html; charset={declare or charset}">
<title>{html.escape(paras[0])}_衢州市人民政府</title>
<style>body {{ font: 14px sans-serif }} .nav a {{ color: #c00 }}</style>
<script>var _hmt = _hmt || []; document.write("统计代码");</script>
</head><body>
<div class="top"><a href="/">首页</a> | <a href="/zwgk">政务公开</a> | <a href="/hdjl">互动交流</a> | <a href="/en">English</a></div>
<nav class="nav"><ul><li><a href="/">网站首页</a></li><li><a href="/xxgk">信息公开</a></li>
<li><a href="/bsfw">办事服务</a></li><li><a href="/zcjd">政策解读</a></li></ul></nav>
<div class="position">当前位置：<a href="/">首页</a> &gt; <a href="/zwgk">政务公开</a> &gt; 政府工作报告</div>
<div class="article">
<h1>{html.escape(paras[0])}</h1>
<div class="info">发布时间：2026-01-22 来源：衢州日报 字号：[ 大 中 小 ]</div>
<div id="zoom" class="TRS_Editor">
{body}
</div>
<div class="share">分享到：微信 微博 <a href="javascript:window.print()">打印本页</a> <a href="javascript:window.close()">关闭窗口</a></div>
</div>
<div class="related"><h3>相关链接</h3><ul><li><a href="/a">浙江省人民政府</a></li><li><a href="/b">中国政府网</a></li></ul></div>
<footer class="footer"><p>主办单位：衢州市人民政府办公室 版权所有</p><p>网站标识码：3308000001 浙ICP备12345678号</p></footer>
<script>window.onload = function() {{ console.log("统计"); }}</script>
</body></html>"""
    return page.encode(charset)


def make_docx(paras: Sequence[str], table: Sequence[Sequence[str]] = ()) -> bytes:
    """Return a .docx whose first paragraph is a heading, then the paragraphs, then a table."""
    import docx

    document = docx.Document()
    document.add_heading(paras[0], level=1)
    for p in paras[1:]:
        document.add_paragraph(p)
    if table:
        t = document.add_table(rows=len(table), cols=len(table[0]))
        for r, row in enumerate(table):
            for c, cell in enumerate(row):
                t.cell(r, c).text = cell
    buf = io.BytesIO()
    document.save(buf)
    return buf.getvalue()


def make_pdf(paras: Sequence[str], font_size: float = 12) -> bytes:
    """Return an A4 PDF of the paragraphs, typeset like a report printed from Word.

    The title is centred; paragraphs are indented by two characters (by position, not by
    spaces) and broken at the right margin, wherever that falls; pages break where they are
    full and carry a centred page number "— N —". The font is Adobe's STSong-Light, which
    PDF readers supply, so the file embeds no font and needs none installed.
    """
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont
    from reportlab.pdfgen import canvas

    font = "STSong-Light"
    pdfmetrics.registerFont(UnicodeCIDFont(font))
    width, height = A4
    left, right, top, bottom = 72.0, width - 72.0, height - 72.0, 90.0
    buf = io.BytesIO()
    c = canvas.Canvas(buf, pagesize=A4, invariant=True)
    state = {"y": top, "page": 1}

    def draw(x: float, text: str) -> None:
        c.setFont(font, font_size)
        c.drawString(x, state["y"], text)
        state["y"] -= font_size * 1.8
        if state["y"] < bottom:
            c.setFont(font, font_size - 2)
            c.drawCentredString(width / 2, 50, f"— {state['page']} —")
            c.showPage()
            state["y"], state["page"] = top, state["page"] + 1

    def fits(text: str, x: float) -> bool:
        return x + pdfmetrics.stringWidth(text, font, font_size) <= right

    title = paras[0]
    draw((width - pdfmetrics.stringWidth(title, font, font_size)) / 2, title)
    for p in paras[1:]:
        x = left + 2 * font_size
        line = ""
        for ch in p:
            if line and not fits(line + ch, x):
                draw(x, line)
                x, line = left, ""
            line += ch
        draw(x, line)
    c.setFont(font, font_size - 2)
    c.drawCentredString(width / 2, 50, f"— {state['page']} —")
    c.showPage()
    c.save()
    return buf.getvalue()


def make_image_pdf() -> bytes:
    """Return a one-page PDF with a drawing and no text: what a scan looks like to a reader."""
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfgen import canvas

    buf = io.BytesIO()
    c = canvas.Canvas(buf, pagesize=A4, invariant=True)
    for i in range(40):
        c.rect(72 + i * 3, 600 - i * 10, 300, 4, fill=1)
    c.showPage()
    c.save()
    return buf.getvalue()
