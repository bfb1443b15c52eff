"""`archiver show / stats / verify / export`: output snapshots on a fixed archive, exit codes, errors.

Snapshots live in tests/snapshots/cli/; regenerate with `UPDATE_SNAPSHOTS=1 pytest tests/test_cli_downstream.py`
and review the diff. Output is deterministic: fixed records, fixed WARC ids, 100 columns, no colour.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest
from typer.testing import CliRunner

from archiver.cli import app
from tests.archive_kit import build_archive

SNAPSHOTS = Path(__file__).parent / "snapshots" / "cli"
ENV = {"COLUMNS": "100", "LINES": "50", "NO_COLOR": "1", "FORCE_COLOR": None, "TTY_COMPATIBLE": None,
       "TERM": "dumb"}
URL = "https://blog.example.org/2024/05/first"


@pytest.fixture()
def archive(tmp_path: Path) -> Path:
    return build_archive(tmp_path / "archive")


def run(*args: str):
    return CliRunner().invoke(app, list(args), env=ENV)


def snapshot(name: str, text: str, tmp: Path) -> None:
    text = text.replace(str(tmp), "<tmp>")
    path = SNAPSHOTS / name
    if os.environ.get("UPDATE_SNAPSHOTS") or not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    assert text == path.read_text(encoding="utf-8"), f"output differs from {path}"


def test_show_url_draws_metadata_media_and_thread_tree(archive: Path, tmp_path: Path) -> None:
    result = run("show", str(archive), "--url", URL)
    assert result.exit_code == 0, result.output
    assert "└── Bo · 2024-05-01T10:00:00+00:00 · #3" in result.stdout
    snapshot("show_url.txt", result.stdout, tmp_path)


def test_show_latest_json_nests_the_thread(archive: Path, tmp_path: Path) -> None:
    result = run("show", str(archive), "--latest", "--json")
    assert result.exit_code == 0, result.output
    lines = [json.loads(line) for line in result.stdout.splitlines()]
    assert [r["url"] for r in lines] == ["https://news.example.com/story", URL]
    assert lines[1]["title"] == "First post (edited)" and lines[1]["thread"][0]["replies"] == []
    full = json.loads(run("show", str(archive), "--url", URL, "--json").stdout.splitlines()[0])
    assert full["thread"][0]["replies"][0]["replies"][0]["id"] == "3"


def test_stats_table_and_json(archive: Path, tmp_path: Path) -> None:
    result = run("stats", str(archive))
    assert result.exit_code == 0, result.output
    snapshot("stats.txt", result.stdout, tmp_path)
    data = json.loads(run("stats", str(archive), "--json").stdout)
    assert data["records"] == 3 and data["urls"] == 2 and data["comments"] == 5
    assert data["by_site"] == {"blog.example.org": 2, "news.example.com": 1}
    assert data["by_day"] == {"2024-05-01": 2, "2024-05-02": 1}
    assert data["errors"] == 2 and data["errors_by_kind"] == {"http_404": 2}
    snapshot("stats.json", result_json(data), tmp_path)


def result_json(data: dict) -> str:
    return json.dumps(data, indent=2, sort_keys=True) + "\n"


def test_verify_ok_then_problems_with_exit_code(archive: Path, tmp_path: Path) -> None:
    result = run("verify", str(archive))
    assert result.exit_code == 0, result.output
    snapshot("verify_ok.txt", result.stdout, tmp_path)
    jsonl = next(archive.rglob("records-2024050100*.jsonl"))
    lines = jsonl.read_text(encoding="utf-8").splitlines()
    first = json.loads(lines[0])
    first["warc"]["offset"] += 3
    jsonl.write_text("\n".join([json.dumps(first), *lines[1:]]) + "\n", encoding="utf-8")
    result = run("verify", str(archive))
    assert result.exit_code == 1
    snapshot("verify_bad_pointer.txt", result.stdout, tmp_path)
    report = json.loads(run("verify", str(archive), "--json").stdout)
    assert report["ok"] is False and report["problems"][0]["check"] == "pointer"


def test_export_prints_tables_and_json(archive: Path, tmp_path: Path) -> None:
    result = run("export", str(archive), "--format", "csv", "-o", str(tmp_path / "out"))
    assert result.exit_code == 0, result.output
    snapshot("export_csv.txt", result.stdout, tmp_path)
    data = json.loads(run("export", str(archive), "-o", str(tmp_path / "pq"), "--json").stdout)
    assert data["format"] == "parquet" and data["rows"] == {"articles": 3, "comments": 5, "media": 2}


@pytest.mark.parametrize("args", [
    ("show", "{missing}"), ("stats", "{missing}"), ("verify", "{missing}"),
    ("export", "{missing}", "-o", "{out}"), ("export", "{archive}", "-o", "{out}", "--format", "xlsx"),
])
def test_bad_input_is_one_error_line_and_exit_2(archive: Path, tmp_path: Path, args: tuple[str, ...]) -> None:
    values = {"missing": str(tmp_path / "missing"), "out": str(tmp_path / "out"), "archive": str(archive)}
    result = run(*(a.format(**values) for a in args))
    assert result.exit_code == 2
    assert result.stdout == ""
    assert len(result.stderr.strip().splitlines()) == 1 and result.stderr.startswith("error: ")


def test_show_unknown_url_exits_1(archive: Path) -> None:
    result = run("show", str(archive), "--url", "https://nowhere.example/")
    assert result.exit_code == 1 and result.stderr.startswith("error: no record for https://nowhere.example/")


def test_invalid_record_stops_export_with_one_line(archive: Path, tmp_path: Path) -> None:
    jsonl = next(archive.rglob("records-2024050200*.jsonl"))
    record = json.loads(jsonl.read_text(encoding="utf-8"))
    record["status"] = "OK"
    jsonl.write_text(json.dumps(record) + "\n", encoding="utf-8")
    result = run("export", str(archive), "-o", str(tmp_path / "out"))
    assert result.exit_code == 2 and "invalid record: status" in result.stderr
    assert not (tmp_path / "out" / "articles.parquet").exists()


def test_progress_bar_only_on_a_terminal_and_only_after_the_delay(monkeypatch: pytest.MonkeyPatch) -> None:
    import io

    from rich.console import Console

    from archiver.tools import progressbar

    quiet = io.StringIO()
    with progressbar.byte_progress("Counting", 10, Console(file=quiet, force_terminal=False)) as advance:
        advance(1 << 20)
    assert quiet.getvalue() == ""
    fast = io.StringIO()
    with progressbar.byte_progress("Counting", 1 << 21, Console(file=fast, force_terminal=True)) as advance:
        advance(1 << 20)  # well under a second: no bar
    assert fast.getvalue() == ""
    monkeypatch.setattr(progressbar, "SHOW_AFTER_S", 0.0)
    slow = io.StringIO()
    with progressbar.byte_progress("Counting", 1 << 21, Console(file=slow, force_terminal=True)) as advance:
        advance(1 << 20)
    assert "Counting" in slow.getvalue()
