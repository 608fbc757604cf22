"""``LineIndex`` indexes its text a piece at a time; wherever the pieces are cut,
it answers what a list of every line start answers."""

from __future__ import annotations

import bisect

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from sustain_lint.documents import LineIndex


class Reference:
    """Every line start, listed up front."""

    def __init__(self, text: str, first_line: int) -> None:
        self.starts = [0] + [i + 1 for i, ch in enumerate(text) if ch == "\n"]
        self.first_line = first_line

    def position(self, offset: int) -> tuple[int, int]:
        i = bisect.bisect_right(self.starts, offset) - 1
        return i + self.first_line, offset - self.starts[i] + 1

    def line_start(self, line: int) -> int | None:
        i = line - self.first_line
        return self.starts[max(i, 0)] if i < len(self.starts) else None


@pytest.mark.parametrize("examples", [50, pytest.param(300, marks=pytest.mark.slow)])
def test_every_offset_and_line_as_the_full_list_says(examples: int) -> None:
    @settings(max_examples=examples, deadline=None)
    @given(st.text(alphabet="ab\n\u00e9", max_size=60), st.integers(1, 9), st.integers(1, 3))
    def check(text: str, piece: int, first_line: int) -> None:
        with pytest.MonkeyPatch.context() as patch:
            patch.setattr(LineIndex, "PIECE", piece)
            index = LineIndex(text, first_line)
            reference = Reference(text, first_line)
            # offsets in a shuffled order: a piece indexed for one answer serves the next
            offsets = sorted(range(len(text) + 3), key=lambda o: (o * 7919) % (len(text) + 3))
            for offset in offsets:
                assert index.position(offset) == reference.position(offset), offset
            for line in range(first_line - 1, first_line + text.count("\n") + 3):
                assert index.line_start(line) == reference.line_start(line), line

    check()


def test_a_long_text_is_counted_not_listed() -> None:
    text = "".join(f"row {i},x\n" for i in range(200_000))
    index = LineIndex(text)
    assert index.line_start(150_001) == text.index("row 150000,")
    assert index.position(text.index("row 150000,") + 4) == (150_001, 5)
    assert len(index._pieces) == 1  # only the piece holding that line was listed
