"""Portable HTML pages for the reproduce job: pages that open anywhere, and an index of them.

nbconvert's pages load MathJax and require.js from wherever its template says (Debian's: file:///usr/share/javascript,
which exists only where libjs-mathjax is installed; pip's: a CDN), and every page carries its own 4.8 MB copy of
plotly.js (the notebooks inline it once so that classic Jupyter draws the figures). Here each page instead loads one
shared copy of plotly.js and of MathJax 3 (SVG output, which needs no font files) from `assets/` beside the pages,
both installed from the npm registry, and gets a button that hides the code cells.
"""
import html as html_lib
import json
import os
import pathlib
import re
import shutil

ROOT = pathlib.Path(__file__).resolve().parent.parent

ASSETS = {
    "plotly.min.js": ROOT / "node_modules" / "plotly.js-dist-min" / "plotly.min.js",
    "mathjax/tex-svg-full.js": ROOT / "node_modules" / "mathjax" / "es5" / "tex-svg-full.js",
}

# The inline plotly.js that lib/src/plotting/show.ts writes before a session's first figure.
INLINE_PLOTLY = re.compile(r'<script type="text/javascript" data-rnnlab="plotly\.js">.*?</script>', re.S)
# nbconvert's MathJax 2 loader and its configuration block (Debian's and pip's templates), and require.js.
MATHJAX_LOADER = re.compile(r'<script[^>]*src="[^"]*MathJax\.js[^"]*"[^>]*>\s*</script>', re.S)
MATHJAX_CONFIG = re.compile(r'<script type="text/x-mathjax-config">.*?</script>', re.S)
REQUIRE_JS = re.compile(r'<script[^>]*src="[^"]*require(\.min)?\.js"[^>]*>\s*</script>', re.S)

MATHJAX3 = """<script>
window.MathJax = {
  tex: { inlineMath: [['$', '$'], ['\\\\(', '\\\\)']], displayMath: [['$$', '$$'], ['\\\\[', '\\\\]']], processEscapes: true, tags: 'ams' },
  svg: { fontCache: 'global' }
};
</script>
<script src="{assets}/mathjax/tex-svg-full.js" defer></script>"""

CODE_TOGGLE = """<style>
.rnnlab-hide-code .jp-CodeCell .jp-Cell-inputWrapper { display: none; }
/* Long code lines wrap instead of running off the right edge of the page. */
.jp-CodeCell .jp-InputArea pre, .jp-OutputArea-output pre { white-space: pre-wrap; overflow-wrap: anywhere; }
#rnnlab-code-toggle { position: fixed; top: 12px; right: 12px; z-index: 1000; font: 13px Helvetica, Arial, sans-serif;
  padding: 6px 12px; border: 1px solid #888; border-radius: 4px; background: #fff; cursor: pointer; }
</style>
<button id="rnnlab-code-toggle" type="button" onclick="var b=document.body;b.classList.toggle('rnnlab-hide-code');this.textContent=b.classList.contains('rnnlab-hide-code')?'Show code':'Hide code';">Hide code</button>"""


def install_assets(out_root):
    """Copies the shared scripts into <out_root>/assets (once; again only when the installed package changed)."""
    for name, source in ASSETS.items():
        if not source.exists():
            raise SystemExit(f"pages: {source} is missing; run `bash scripts/setup.sh` (npm ci installs it)")
        target = out_root / "assets" / name
        if target.exists() and target.stat().st_size == source.stat().st_size:
            continue
        target.parent.mkdir(parents=True, exist_ok=True)
        tmp = target.with_name(target.name + ".tmp")
        shutil.copyfile(source, tmp)
        os.replace(tmp, target)


def portable(page, assets):
    """The page with its scripts taken from `assets` (a relative URL) and a code toggle; no file:// or CDN script."""
    page = REQUIRE_JS.sub("", page)  # nothing on these pages uses require.js
    page = MATHJAX_CONFIG.sub("", page)
    page, loaders = MATHJAX_LOADER.subn("", page)
    mathjax = MATHJAX3.replace("{assets}", assets)
    page = page.replace("</head>", f"{mathjax}\n</head>", 1)
    # The first inline copy becomes the shared file; the HTML fallback of every figure then finds window.Plotly.
    page, inlined = INLINE_PLOTLY.subn("", page)
    page = page.replace("</head>", f'<script src="{assets}/plotly.min.js"></script>\n</head>', 1)
    page = re.sub(r"(<body[^>]*>)", lambda m: m.group(1) + "\n" + CODE_TOGGLE, page, count=1)
    return page


def write_page(html_text, page_path, out_root):
    assets = os.path.relpath(out_root / "assets", page_path.parent).replace(os.sep, "/")
    page_path.write_text(portable(html_text, assets), encoding="utf-8")


def first_paragraph(nb):
    """The notebook's summary: its **Question.** paragraph (every notebook opens with one), else its first paragraph;
    without Markdown links and emphasis (its TeX is typeset on the index page)."""
    paragraphs = [
        p.strip()
        for c in nb.cells
        if c.cell_type == "markdown"
        for p in re.split(r"\n\s*\n", c.source)
        if p.strip() and not p.strip().startswith("#")
    ]
    chosen = next((p for p in paragraphs if p.startswith("**Question.**")), paragraphs[0] if paragraphs else "")
    text = re.sub(r"\[([^\]]*)\]\([^)]*\)", r"\1", " ".join(chosen.split()))
    text = re.sub(r"^\*\*Question\.\*\*\s*", "", text)
    text = re.sub(r"\*\*|(?<![\w$])[*_](?=\S)|(?<=\S)[*_](?![\w$])|`", "", text)
    return text if len(text) <= 400 else text[:397].rsplit(" ", 1)[0] + " …"


def write_index(out_root, entries, claims, scale):
    """results/index.html: every notebook page with its summary and claim verdicts, and the report.

    The entries are kept in pages.json beside it, so that a run of some notebooks (--only) updates theirs and keeps
    the others'.
    """
    esc = html_lib.escape
    known_file = out_root / "pages.json"
    known = json.loads(known_file.read_text()) if known_file.exists() else []
    key = lambda e: (e["name"], e.get("variant") or "")  # noqa: E731
    merged = {key(e): e for e in known}
    merged.update({key(e): e for e in entries})
    entries = sorted(merged.values(), key=lambda e: (e["name"], e.get("variant") or ""))
    tmp = out_root / "pages.json.tmp"
    tmp.write_text(json.dumps(entries, indent=2) + "\n")
    os.replace(tmp, known_file)
    rows = []
    for e in entries:
        mine = [c for c in claims if c["notebook"] == e["name"] and (c.get("variant") or "") == (e.get("variant") or "")]
        verdicts = "".join(
            f'<li class="{ "ok" if c["verdict"] == "reproduced" else "no" }">'
            f'{esc(c["id"] + (" (" + c["part"] + ")" if c.get("part") else ""))}: {esc(c["verdict"])}</li>'
            for c in mine
        )
        status = f'<p class="no">failed: {esc(e["error"])}</p>' if e.get("error") else ""
        # The student edition (exercises to write, answers removed) is a source file of the repository, not a result.
        student_file = ROOT / "notebooks" / "student" / f'{e["name"]}.ipynb'
        student = (
            f' · <a href="{esc(os.path.relpath(student_file, out_root.resolve()))}">student edition (.ipynb)</a>'
            if student_file.exists()
            else ""
        )
        rows.append(
            f'<section><h2><a href="{esc(e["page"])}">{esc(e["title"])}</a></h2>'
            f'<p>{esc(e["summary"])}</p>{status}'
            f'<p class="files"><a href="{esc(e["page"])}">page</a> · <a href="{esc(e["notebook"])}">notebook (.ipynb)</a>{student} · {e["seconds"]:.0f} s</p>'
            + (f"<ul>{verdicts}</ul>" if verdicts else "")
            + "</section>"
        )
    ok = sum(c["verdict"] == "reproduced" for c in claims)
    mathjax = MATHJAX3.replace("{assets}", "assets")
    page = f"""<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>Reproduction results ({esc(scale)} scale)</title>
{mathjax}
<style>
body {{ font: 15px/1.5 Helvetica, Arial, sans-serif; color: #222; max-width: 60rem; margin: 2rem auto; padding: 0 1rem; }}
h1 {{ font-size: 1.6rem; }} h2 {{ font-size: 1.15rem; margin-bottom: 0.2rem; }} a {{ color: #0072B2; }}
section {{ border-top: 1px solid #ddd; padding: 0.6rem 0; }} .files {{ color: #666; font-size: 0.9rem; }}
ul {{ columns: 2; padding-left: 1.2rem; }} li.ok::marker {{ content: "✓ "; color: #009E73; }} li.no::marker {{ content: "✗ "; color: #D55E00; }}
p.no {{ color: #D55E00; }}
</style></head><body>
<h1>Reproduction results ({esc(scale)} scale)</h1>
<p>{ok} of {len(claims)} claims reproduced. Every claim, its criterion, the measured value and the reason a claim was not
reproduced are in the <a href="REPORT.md">report</a> and in <a href="claims.json">claims.json</a>. The pages open without
a network connection; their scripts are in <code>assets/</code>.</p>
{"".join(rows)}
</body></html>
"""
    tmp = out_root / "index.html.tmp"
    tmp.write_text(page, encoding="utf-8")
    os.replace(tmp, out_root / "index.html")
