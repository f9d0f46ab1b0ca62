"""``deckgen init [DIR]``: scaffold a project; never overwrites a file that exists."""
from __future__ import annotations

import sys
from pathlib import Path

CONFIG = """\
# deckgen project config: the command line and a note's front matter override these.
course_title = "나의 강좌"
theme = "themes/my-theme"      # a theme name ("default") or a folder, relative to this file
output = "out"                 # where decks and handouts go
formats = ["pptx", "pdf"]      # add "slides" for the slides as a PDF (NOTE-slides.pdf)
lang = "ko-KR"
asset_dirs = ["assets"]        # extra folders searched for images
# slide_level = 2              # heading level that starts a slide (default: inferred per note)
# prose_to_notes = false       # move long prose paragraphs into the speaker notes
# jobs = 4                     # notes built in parallel (default: the number of cores)

[handout]
speaker_notes = true           # print speaker notes under each slide
toc = true                     # contents page
link_footnotes = true          # link addresses as footnotes
# layout = "slides-3"          # document (default), slides-2, slides-3, slides-6, notes
"""

SAMPLE = """\
---
title: 리눅스 기초
author: 홍길동
date: 2026-03-02
---

# 리눅스 기초

## 오늘 배울 내용

- 셸과 터미널의 차이
- 파일과 디렉터리 다루기
  - `ls`, `cd`, `pwd`
- 권한과 사용자

::: notes
첫 시간이므로 실습 환경이 준비되었는지 먼저 확인한다.
:::

## 자주 쓰는 명령어

| 명령어 | 설명 |
|---|---|
| `ls -l` | 파일 목록을 자세히 보여 준다 |
| `cp a b` | 파일을 복사한다 |
| `rm -r d` | 디렉터리를 지운다 (주의!) |

## 스크립트 예제

```bash
# 홈 디렉터리의 파일 수를 센다
ls ~ | wc -l
```

> [!tip] 실습
> 각자 터미널을 열고 위 명령어를 직접 입력해 본다.
"""

THEME = """\
# My theme: starts from the built-in default; override only what you change.
extends = "default"
name = "my-theme"

# [colors]
# accent = "2F6FEB"

# [sizes]
# body = 24
"""

FILES = {
    "deckgen.toml": CONFIG,
    "content/01-sample.md": SAMPLE,
    "themes/my-theme/theme.toml": THEME,
    "assets/.keep": "",
}


def init_project(folder: Path) -> int:
    """Write the scaffold into *folder*; existing files are kept and reported."""
    folder.mkdir(parents=True, exist_ok=True)
    for rel, text in FILES.items():
        target = folder / rel
        if target.exists():
            print(f"kept    {target} (exists)")
            continue
        target.parent.mkdir(parents=True, exist_ok=True)
        try:
            with open(target, "x", encoding="utf-8") as f:  # "x": never overwrite, even in a race
                f.write(text)
        except OSError as e:
            print(f"{target}: error: {e.strerror}", file=sys.stderr)
            return 1
        print(f"created {target}")
    print(f"\nnext: deckgen build {folder / 'content'}   (or: deckgen watch {folder / 'content'} --serve)")
    return 0
