"""Typesetting a small note once in the process that forks the handouts' children, so that they
start warm.

What WeasyPrint sets up on first use was paid again in every handout child (an edition each),
since the process that forks them had never typeset anything: cffi parsing the C type strings
of its Pango, HarfBuzz and fontconfig calls with pycparser (about 6 % of an edition's CPU),
HarfBuzz's subsetter, Pango's font map and the theme's @font-face files copied and scanned by
fontconfig (fontshare.py).  warm_up() typesets a note with what a lecture has (headings and
their bookmarks, the contents page and its leaders, a link, a list, a callout, highlighted code,
a table, an SVG picture, an instructor box) in the theme, once per process and font set, and
registers its FontConfiguration for the children (fontshare.register).  A course build calls it
in the parent before the pool forks its workers; a lone note before its first child.

Where there is no fork the handout is typeset in-process and nothing is warmed.  A warm-up that
fails changes nothing: the children then set everything up themselves, as before.  It runs in
the building process, outside every child's limit, so it has a limit of its own (WARM_UP_SECONDS,
bounds/alarm.py); one that runs out is given up for that font set for the rest of the process.
"""
from __future__ import annotations

import os
import tempfile
from pathlib import Path

from deckgen.backends.handout import fontshare
from deckgen.bounds.alarm import time_limit
from deckgen.diagnostics import Diagnostics
from deckgen.theme.load import Theme

__all__ = ["warm_up", "SAMPLE", "WARM_UP_SECONDS"]

WARM_UP_SECONDS = 30.0
"""Wall-clock limit of the warm-up: the sample takes about a second; past this the build goes on
cold (each child sets WeasyPrint up itself) rather than wait on it."""

_GAVE_UP: set[str] = set()
"""Font sets (fontshare.fonts_key) whose warm-up failed or ran out of time in this process."""

SAMPLE = """---
title: "예열"
author: "deckgen"
---

## 첫째 절

본문에는 **굵게**, *기울임*, `code`, [링크](https://example.com/)와 [내부 링크](#둘째-절)가 있다.

- 항목 하나
  - 안쪽 항목

> [!note] 참고
> 상자 안의 글.

::: instructor
강사만 보는 메모.
:::

## 둘째 절

```python
def area(r: float) -> float:
    return 3.14159 * r * r  # 넓이
```

| 종류 | 값 |
|------|---:|
| 하나 | 1 |
| 둘 | 2 |

![그림](picture.svg)
"""

PICTURE = ('<svg xmlns="http://www.w3.org/2000/svg" width="40" height="20" viewBox="0 0 40 20">'
           '<rect x="1" y="1" width="38" height="18" fill="#ddeeff" stroke="#336"/>'
           '<text x="20" y="14" font-size="10" text-anchor="middle">가</text></svg>')


def warm_up(theme: Theme) -> bool:
    """Typeset the sample once in *theme* (its instructor edition) unless this process already
    holds a warm configuration for its fonts; True when the children will share one."""
    if not hasattr(os, "fork"):
        return False
    if fontshare.is_registered(theme):
        return True
    key = fontshare.fonts_key(theme)
    if key in _GAVE_UP:
        return False
    config = None
    try:
        with time_limit(WARM_UP_SECONDS):
            from weasyprint.text.fonts import FontConfiguration

            config = FontConfiguration()
            _typeset_sample(theme, config)
    except Exception:   # TimeLimitExceeded too: the children will set everything up themselves, as before
        _GAVE_UP.add(key)
        if config is not None:
            fontshare.discard(config)
        return False
    return fontshare.register(theme, config)


def _typeset_sample(theme: Theme, config: object) -> None:
    from deckgen.backends.handout.document import build_handout_pdf
    from deckgen.read.parse import parse_note

    diags = Diagnostics()
    with tempfile.TemporaryDirectory(prefix="deckgen-warm-") as folder:
        base = Path(folder)
        (base / "picture.svg").write_text(PICTURE, encoding="utf-8")
        note = base / "warm.md"
        note.write_text(SAMPLE, encoding="utf-8")
        doc = parse_note(note, diags, root=base)
        build_handout_pdf(doc, theme, diags, base_dir=base, edition="instructor", font_config=config)
