"""`bench.stories --stream`'s reading (newsspiders/testing/story_stream.py): a labelled stream of one's own, read at its own times or with
its events moved closer (`--compress`)."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from newsspiders.testing.story_stream import (
    labelled_stream,
    one_offs_together,
    read_labels,
    with_one_offs,
)


def _write(path: Path, items: list[dict[str, str]]) -> Path:
    path.write_text("".join(json.dumps(item) + "\n" for item in items), encoding="utf-8")
    return path


ITEMS = [
    {"id": "a1", "event_id": "a", "time": "2019-11-01T10:00:00Z", "title": "A first"},
    {"id": "a2", "event_id": "a", "time": "2019-11-02T04:00:00Z", "title": "A again"},
    {"id": "b1", "event_id": "b", "time": "2019-11-11", "title": "B, a date alone"},
    {"id": "c1", "event_id": "c", "time": "2019-11-21T10:00:00", "title": "C, no zone"},
]


def test_a_stream_is_read_at_its_own_times_oldest_first(tmp_path: Path) -> None:
    stream = labelled_stream(_write(tmp_path / "s.jsonl", ITEMS[::-1]), compress=None)
    assert [item["id"] for _, item in stream] == ["a1", "a2", "b1", "c1"]
    assert stream[2][0] == datetime(2019, 11, 11, 12, tzinfo=UTC)  # a date: its midday
    assert stream[3][0] == datetime(2019, 11, 21, 10, tzinfo=UTC)  # no zone: UTC


def test_compressing_moves_the_events_starts_closer_and_keeps_each_events_span(
    tmp_path: Path,
) -> None:
    """20 days of starts packed into 2: the first event starts where it did, the last 2
    days later, the middle one in between; the first event's second report stays 18 h
    after its first."""
    stream = labelled_stream(_write(tmp_path / "s.jsonl", ITEMS), compress=2)
    at = {item["id"]: moment for moment, item in stream}
    start = datetime(2019, 11, 1, 10, tzinfo=UTC)
    assert at["a1"] == start and at["a2"] - at["a1"] == timedelta(hours=18)
    assert at["c1"] == start + timedelta(days=2)
    assert start < at["b1"] < at["c1"]


def test_one_off_events_are_moved_into_the_streams_span_the_same_way_for_a_seed(
    tmp_path: Path,
) -> None:
    stream = labelled_stream(_write(tmp_path / "s.jsonl", ITEMS), compress=None)
    one_offs = [{"id": f"w{n}", "event_id": f"w{n}", "title": f"W {n}"} for n in range(30)]
    mixed = with_one_offs(stream, one_offs, seed=7)
    assert sorted(str(item["id"]) for _, item in mixed) == sorted(
        [item["id"] for _, item in stream] + [item["id"] for item in one_offs]
    )
    moments = [moment for moment, _ in mixed]
    assert moments == sorted(moments)
    assert all(stream[0][0] <= moment <= stream[-1][0] for moment in moments)
    assert len({moment.date() for moment, item in mixed if item["id"].startswith("w")}) > 5
    assert with_one_offs(stream, one_offs, seed=7) == mixed
    assert with_one_offs(stream, one_offs, seed=8) != mixed


def test_an_item_without_a_label_is_named_with_its_file(tmp_path: Path) -> None:
    path = _write(tmp_path / "s.jsonl", [ITEMS[0], {"id": "x", "time": "2019-11-01"}])
    with pytest.raises(SystemExit, match=r"s\.jsonl: item 2 lacks one of event_id, id"):
        labelled_stream(path, compress=None)


def test_a_labels_file_gives_each_prefix_its_event_and_names_a_bad_line(
    tmp_path: Path,
) -> None:
    path = tmp_path / "labels.txt"
    path.write_text("# hand labels\n\nquake: 06e5 1ace\nvote:  7a45\n", encoding="utf-8")
    assert read_labels(path) == {"06e5": "quake", "1ace": "quake", "7a45": "vote"}
    path.write_text("quake: 06e5\nvote 7a45\n", encoding="utf-8")
    with pytest.raises(SystemExit, match=r"labels.txt:2: expected"):
        read_labels(path)
    path.write_text("quake: 06e5\nvote: 06e5\n", encoding="utf-8")
    with pytest.raises(SystemExit, match=r"labels.txt:2: 06e5 is already quake's"):
        read_labels(path)


def test_one_off_events_placed_in_one_story_are_listed_by_title() -> None:
    """`--singletons dated` prints them: real events days apart placed as one."""
    at = datetime(2020, 1, 5, tzinfo=UTC)
    stream = [(at, {"id": key, "title": f"{key} title"}) for key in ("k", "v", "s", "h")]
    found = {"k": 1, "v": 1, "s": 2, "h": 3}
    assert one_offs_together(stream, ["k", "v", "s"], found) == [["k title", "v title"]]
    assert one_offs_together(stream, ["k", "s"], found) == []
