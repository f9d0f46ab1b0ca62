"""markdown-it-py, configured for lecture notes: CommonMark + tables, strikethrough,
fenced divs (`::: notes`, `::: instructor`, `::: columns`), footnotes, definition lists, Obsidian
syntax and math.  One parser instance per process."""
from __future__ import annotations

import re

from markdown_it import MarkdownIt
from mdit_py_plugins.container import container_plugin
from mdit_py_plugins.deflist import deflist_plugin
from mdit_py_plugins.dollarmath import dollarmath_plugin
from mdit_py_plugins.footnote import footnote_plugin
from mdit_py_plugins.texmath import index as _texmath

from deckgen.read.dialects import obsidian
from deckgen.read.dialects.editions import div_name, is_instructor

DIV_PARAMS = re.compile(r"^\s*(?:\{[^{}\n]*\}|[\w-]+)\s*:*\s*$")
"""What may follow `:::` on a pandoc div's opening line: one class name, or an attribute list."""
MAX_NESTING = 100
"""markdown-it skips the rest of a block nested deeper than this (its default, 20, is a list 10 deep).
dialects/nesting.py flattens lists and quotes well before it; this leaves room for containers."""


def make_markdown() -> MarkdownIt:
    md = MarkdownIt("commonmark", {"html": True, "typographer": False, "maxNesting": MAX_NESTING})
    md.enable(["table", "strikethrough"])
    md.use(container_plugin, "notes", validate=lambda params, *a: params.strip().split(" ")[0] in
           ("notes", "note", "speaker", "speaker-notes"))
    md.use(container_plugin, "instructor", validate=lambda params, *a: is_instructor(div_name(params)))
    for name in ("columns", "column"):        # pandoc's two-column slides
        md.use(container_plugin, name, validate=lambda params, *a, n=name: params.strip().split(" ")[0]
               .lstrip("{.").rstrip("}") == n)
    # any other pandoc div (`::: incremental`, `::: {.fragment}`, `::: {.callout-tip}`): its content in place
    md.use(container_plugin, "div", validate=lambda params, *a: bool(DIV_PARAMS.match(params)))
    md.validateLink = _accept_link  # type: ignore[method-assign]
    md.use(footnote_plugin).use(deflist_plugin).use(obsidian.obsidian_plugin)
    _use_math(md)
    return md


def _accept_link(url: str) -> bool:
    """Every link and image is parsed as one: markdown-it would leave `![x](file:///etc/passwd)`
    as literal text; read/assets.py and read/inline.py refuse such targets with a warning."""
    return True


def _use_math(md: MarkdownIt) -> None:
    """`$..$`, `$$..$$` (kramdown's inline `$$` too), `\\(..\\)` and `\\[..\\]`.

    A digit next to a `$` keeps it literal, so prices ("$5 and $10") stay text."""
    md.use(dollarmath_plugin, allow_labels=True, allow_space=False, allow_digits=False,
           double_inline=True)
    rules = _texmath.rules["brackets"]
    inline = next(r for r in rules["inline"] if r["name"] == "math_inline")
    block = next(r for r in rules["block"] if r["name"] == "math_block")
    inline_func = _texmath.make_inline_func({**inline, "name": "math_inline_bracket"})

    def bracket_inline(state, silent: bool) -> bool:
        if not state.src.startswith("\\(", state.pos) or _last(state.env, "inline", state.src, "\\)") < state.pos:
            return False                  # no `\)` ahead: fail at once, not after scanning to the end
        return inline_func(state, silent)

    md.inline.ruler.before("escape", "math_inline_bracket", bracket_inline)
    block_func = _texmath.make_block_func({**block, "name": "math_block_bracket"})

    def bracket_block(state, begin: int, end: int, silent: bool) -> bool:
        start = state.bMarks[begin] + state.tShift[begin]
        if not state.src.startswith("\\[", start) or _last(state.env, "block", state.src, "\\]") < start:
            return False                  # each unclosed `\[` line would scan to the end of the note
        found = block_func(state, begin, end, silent)
        if found and not silent:
            state.tokens[-1].map = [begin, state.line]    # the plugin leaves no line map
        return found

    md.block.ruler.before("fence", "math_block_bracket", bracket_block,
                          {"alt": ["paragraph", "reference", "blockquote", "list", "footnote_def"]})


def _last(env: dict, kind: str, src: str, mark: str) -> int:
    """Offset of the last *mark* in *src*, computed once per source text and kind."""
    cache = env.setdefault("_deckgen_last_mark", {})
    key = (kind, src)                      # the text itself (its hash is cached), never a reusable id()
    if key not in cache:
        cache[key] = src.rfind(mark)
    return cache[key]


MD = make_markdown()
