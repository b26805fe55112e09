"""Reading transcript files: encodings, newlines, format detection, and every way a file can be unusable.

Each bad input must raise `TranscriptError` (a `ValueError`) with one line naming the file, the problem and
the fix.
"""

import os
from pathlib import Path

import pytest

from agent.errors import VsmError
from agent.sources import MAX_TRANSCRIPT_BYTES, TranscriptError, parse_transcript, read_transcript
from tests.cpu_time import best_cpu_seconds

LABELLED = "Maria: Where do “orders” wait?\nSam: In the inbox – mostly.\n"


def _write(tmp_path: Path, name: str, content: bytes | str) -> Path:
    path = tmp_path / name
    if isinstance(content, str):
        path.write_text(content, encoding="utf-8", newline="")
    else:
        path.write_bytes(content)
    return path


def _error_reading(path: Path) -> str:
    with pytest.raises(TranscriptError) as caught:
        read_transcript(path)
    message = str(caught.value)
    assert "\n" not in message
    assert message.startswith(f"{path.name}: ")
    assert isinstance(caught.value, ValueError)
    assert isinstance(caught.value, VsmError)
    return message


@pytest.mark.parametrize(
    "encoded",
    [
        LABELLED.encode("utf-8"),
        b"\xef\xbb\xbf" + LABELLED.encode("utf-8"),
        b"\xff\xfe" + LABELLED.encode("utf-16-le"),
        b"\xfe\xff" + LABELLED.encode("utf-16-be"),
        LABELLED.encode("utf-16-le"),  # no BOM
        LABELLED.encode("cp1252"),  # smart quotes as 0x93/0x94, dash as 0x96
    ],
    ids=["utf-8", "utf-8-bom", "utf-16-le-bom", "utf-16-be-bom", "utf-16-le-no-bom", "cp1252"],
)
def test_every_supported_encoding_reads_the_same_text(tmp_path: Path, encoded: bytes) -> None:
    transcript = read_transcript(_write(tmp_path, "interview.txt", encoded))

    assert transcript.text == "Maria: Where do “orders” wait?\n\nSam: In the inbox – mostly."


def test_teams_utf16_webvtt_with_windows_newlines(tmp_path: Path) -> None:
    vtt = "WEBVTT\r\n\r\n00:00:01.000 --> 00:00:02.000\r\n<v Ana Díaz>¿Dónde espera?</v>\r\n"
    path = _write(tmp_path, "meeting.vtt", b"\xff\xfe" + vtt.encode("utf-16-le"))

    transcript = read_transcript(path)

    assert (transcript.turns[0].speaker, transcript.turns[0].text, transcript.turns[0].line) == (
        "Ana Díaz",
        "¿Dónde espera?",
        4,
    )


@pytest.mark.parametrize("newline", ["\r\n", "\r", "\u2028"])
def test_every_newline_convention_gives_the_same_lines(tmp_path: Path, newline: str) -> None:
    path = _write(tmp_path, "notes.txt", newline.join(["Ana: one", "two", "Ben: three"]))

    transcript = read_transcript(path)

    assert [(turn.line, turn.text) for turn in transcript.turns] == [(1, "one two"), (3, "three")]


def test_source_id_defaults_to_the_file_name_and_path_is_kept(tmp_path: Path) -> None:
    path = _write(tmp_path, "interview.txt", "Ana: hello")

    assert read_transcript(path).source_id == "interview.txt"
    assert read_transcript(path).path == str(path)
    assert read_transcript(path, source_id="s1").source_id == "s1"


@pytest.mark.parametrize(
    ("name", "content", "expected_format"),
    [
        ("captions.txt", "WEBVTT\n\n00:01.000 --> 00:02.000\nhello\n", "webvtt"),
        ("captions.txt", "1\n00:00:01,000 --> 00:00:02,000\nhello\n", "srt"),
        ("export", '[{"speaker": "Ana", "text": "hello"}]', "json"),
        ("notes", "Ana: hello", "text"),
        ("captions.log", "WEBVTT\n\n00:01.000 --> 00:02.000\nhello\n", "webvtt"),
        ("INTERVIEW.MD", "**Ana:** hello", "markdown"),
        ("stamped.txt", "[00:00:01] Ana: hello", "text"),
    ],
)
def test_format_comes_from_the_extension_or_the_content(
    tmp_path: Path, name: str, content: str, expected_format: str
) -> None:
    assert read_transcript(_write(tmp_path, name, content)).format == expected_format


def test_empty_file(tmp_path: Path) -> None:
    assert "the file is empty" in _error_reading(_write(tmp_path, "interview.txt", b""))


def test_whitespace_only_file_is_empty(tmp_path: Path) -> None:
    assert "the file is empty" in _error_reading(_write(tmp_path, "interview.vtt", "  \n\n\t\n"))


def test_binary_file_with_nul_bytes(tmp_path: Path) -> None:
    png = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x01\x00" + bytes(range(256))

    message = _error_reading(_write(tmp_path, "photo.txt", png))

    assert "binary file" in message
    assert "export the transcript as text" in message


def test_binary_file_full_of_control_characters(tmp_path: Path) -> None:
    message = _error_reading(_write(tmp_path, "blob.txt", bytes([1, 2, 3, 4, 65, 66, 5, 6, 7]) * 50))

    assert "binary file" in message


def test_bytes_that_are_neither_utf8_nor_windows_1252(tmp_path: Path) -> None:
    message = _error_reading(_write(tmp_path, "odd.txt", b"Ana: caf\xc3 \x81\x8d"))

    assert "cannot decode the text as UTF-8 or Windows-1252" in message
    assert "save it again as UTF-8" in message


def test_missing_file(tmp_path: Path) -> None:
    assert "no such file" in _error_reading(tmp_path / "nowhere.txt")


def test_directory(tmp_path: Path) -> None:
    folder = tmp_path / "interviews"
    folder.mkdir()

    assert "is a directory" in _error_reading(folder)


def test_unreadable_file_reports_permission_denied(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = _write(tmp_path, "locked.txt", "Ana: hello")

    def refuse(*_args: object, **_kwargs: object) -> None:
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(os, "open", refuse)  # the one call that opens it: `agent.regular_files`
    message = _error_reading(path)
    monkeypatch.undo()

    assert "cannot read the file (Permission denied)" in message
    assert "that you may read it" in message


@pytest.mark.skipif(hasattr(os, "geteuid") and os.geteuid() == 0, reason="root can read a file with mode 000")
def test_file_without_read_permission(tmp_path: Path) -> None:
    path = _write(tmp_path, "locked.txt", "Ana: hello")
    path.chmod(0)
    try:
        assert "Permission denied" in _error_reading(path)
    finally:
        path.chmod(0o644)


def test_unknown_extension_whose_content_is_no_transcript_format(tmp_path: Path) -> None:
    message = _error_reading(_write(tmp_path, "notes.rtf", r"{\rtf1\ansi Ana: hello}"))

    assert "unknown transcript format '.rtf'" in message
    assert ".vtt" in message


def test_a_100_mb_file_is_refused_before_it_is_read(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "recording.txt"
    with path.open("wb") as sparse:
        sparse.truncate(100 * 1024 * 1024)

    def must_not_read(*_args: object, **_kwargs: object) -> None:
        raise AssertionError("the file was opened")

    monkeypatch.setattr(Path, "open", must_not_read)
    spent, message = best_cpu_seconds(lambda: _error_reading(path))

    assert spent < 0.5
    assert "100.0 MB, over the 50 MB limit" in message
    assert MAX_TRANSCRIPT_BYTES == 50 * 1024 * 1024


def test_webvtt_without_header(tmp_path: Path) -> None:
    message = _error_reading(_write(tmp_path, "interview.vtt", "00:01.000 --> 00:02.000\nhello\n"))

    assert message == (
        "interview.vtt: not a WebVTT file (no WEBVTT header on line 1); export it again as WebVTT or rename it .txt"
    )


def test_webvtt_with_an_unreadable_timing(tmp_path: Path) -> None:
    message = _error_reading(_write(tmp_path, "interview.vtt", "WEBVTT\n\n00:01 -> 00:02\nhello\n"))

    assert "line 3: '00:01 -> 00:02' is not part of any cue" in message


def test_webvtt_with_bad_timestamps(tmp_path: Path) -> None:
    message = _error_reading(_write(tmp_path, "interview.vtt", "WEBVTT\n\n1\n00:01.000 --> 00:99.000\nhello\n"))

    assert "line 4: cannot read the cue timing '00:01.000 --> 00:99.000'" in message


def test_subrip_that_is_really_plain_text(tmp_path: Path) -> None:
    message = _error_reading(_write(tmp_path, "interview.srt", "Ana: hello\nBen: hi\n"))

    assert "not a SubRip file (line 1 'Ana: hello' is not a cue number" in message
    assert "rename it .txt" in message


def test_subrip_with_a_bad_timing(tmp_path: Path) -> None:
    message = _error_reading(_write(tmp_path, "interview.srt", "1\n00:00:01,000 --> soon\nhello\n"))

    assert "line 2: cannot read the cue timing" in message


def test_malformed_json_names_line_and_column(tmp_path: Path) -> None:
    message = _error_reading(_write(tmp_path, "interview.json", '[\n  {"speaker": "Ana" "text": "hi"}\n]'))

    assert "not valid JSON (line 2, column 21: Expecting ',' delimiter)" in message


@pytest.mark.parametrize(
    ("content", "detail"),
    [
        ('{"title": "Weekly sync", "duration": 3600}', "an object with keys 'title', 'duration'"),
        ("[1, 2, 3]", "item 0 is a number (1)"),
        ('[{"who": "Ana", "said_at": 3}]', "items have 'who', 'said_at' but no text"),
        ("42", "the top level is a int"),
    ],
)
def test_json_of_unknown_layout(tmp_path: Path, content: str, detail: str) -> None:
    message = _error_reading(_write(tmp_path, "export.json", content))

    assert "JSON layout not recognised" in message
    assert detail in message
    assert "'segments'" in message


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("empty.vtt", "WEBVTT\n\nNOTE nothing was said\n\n00:01.000 --> 00:02.000\n<v Ana></v>\n"),
        ("silence.json", '{"text": "", "segments": []}'),
        ("headings.md", "---\ntitle: x\n---\n# Interview\n\n## Part 1\n"),
        ("stamps.txt", "[00:01:00]\n[00:02:00]\n"),
    ],
)
def test_no_speech_found(tmp_path: Path, name: str, content: str) -> None:
    message = _error_reading(_write(tmp_path, name, content))

    assert "no speech found" in message
    assert "check that it is the transcript itself" in message


def test_parse_transcript_names_the_source_when_there_is_no_path() -> None:
    with pytest.raises(TranscriptError, match=r"^pasted: not a WebVTT file"):
        parse_transcript("hello", format="webvtt", source_id="pasted")


def test_parse_transcript_refuses_an_unknown_format_name() -> None:
    with pytest.raises(TranscriptError, match=r"^pasted: unknown transcript format 'docx'; use one of text, markdown"):
        parse_transcript("hello", format="docx", source_id="pasted")
