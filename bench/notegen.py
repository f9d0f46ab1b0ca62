"""Reproducible synthetic Korean lecture notes for tests and benchmarks.

`make_note(slides, seed)` writes a note whose `##` sections each make about one
slide (some overflow on purpose): prose, nested bullets, code with Korean
comments, tables and a task list, mixed Korean and English.
"""
from __future__ import annotations

import random

WORDS = ("가상화 하이퍼바이저 컨테이너 커널 프로세스 스케줄러 메모리 파일시스템 네트워크 권한 사용자 그룹 "
         "명령어 디렉터리 패키지 저장소 이미지 볼륨 포트 서비스 로그 설정 보안 인증 백업 복구 자동화 "
         "스크립트 변수 함수 반복문 조건문 배포 운영 모니터링 성능 장애 분석 실습 과제 예제 개념 구조").split()
ENGLISH = "Linux Docker KVM VMware CPU RAM I/O systemd cgroup namespace bash Python YAML SSH HTTP".split()
ENDINGS = ("이다.", "한다.", "입니다.", "합니다.", "를 살펴본다.", "에 주의한다.", "을 확인한다.")


def sentence(rng: random.Random, n: int) -> str:
    words = [rng.choice(WORDS) if rng.random() > 0.2 else rng.choice(ENGLISH) for _ in range(n)]
    return " ".join(words) + " " + rng.choice(ENDINGS)


def section(rng: random.Random, i: int) -> str:
    kind = i % 6
    out = [f"## {i + 1}. {rng.choice(WORDS)}와 {rng.choice(ENGLISH)}", ""]
    if kind == 0:
        out += [sentence(rng, rng.randint(8, 30)), ""]
        for _ in range(rng.randint(2, 5)):
            out.append(f"- {sentence(rng, rng.randint(3, 10))}")
            for _ in range(rng.randint(0, 2)):
                out.append(f"  - {sentence(rng, rng.randint(2, 8))}")
    elif kind == 1:
        out += ["```python", f"# {sentence(rng, 5)}"]
        for n in range(rng.randint(4, 30)):
            out.append(f"value_{n} = compute('{rng.choice(ENGLISH)}')  # {rng.choice(WORDS)} 계산")
        out += ["```"]
    elif kind == 2:
        out += ["| 항목 | 설명 | 예시 |", "|---|---|---|"]
        for _ in range(rng.randint(3, 12)):
            out.append(f"| {rng.choice(WORDS)} | {sentence(rng, rng.randint(2, 9))} | `{rng.choice(ENGLISH)}` |")
    elif kind == 3:
        for _ in range(rng.randint(4, 14)):
            out.append(f"1. {sentence(rng, rng.randint(4, 14))}")
    elif kind == 4:
        out += [f"> {sentence(rng, rng.randint(10, 25))}", ">", f"> - {sentence(rng, 5)}", ""]
        out += [f"- [x] {sentence(rng, 4)}", f"- [ ] {sentence(rng, 6)}"]
    else:
        for _ in range(rng.randint(1, 4)):
            out += [sentence(rng, rng.randint(15, 60)), ""]
    out += ["", "::: notes", sentence(rng, 12), ":::", ""]
    return "\n".join(out)


def make_note(slides: int, seed: int = 1) -> str:
    rng = random.Random(seed)
    head = [
        "---", f'title: "합성 강의 노트 {slides}"', "author: 벤치마크", "date: 2026-11-28", "lang: ko-KR", "---", "",
        f"# 합성 강의 노트 {slides}", "",
    ]
    return "\n".join(head) + "\n".join(section(rng, i) for i in range(slides)) + "\n"


if __name__ == "__main__":
    import sys

    print(make_note(int(sys.argv[1]) if len(sys.argv) > 1 else 10), end="")
