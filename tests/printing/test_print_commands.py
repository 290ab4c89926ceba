"""The printing commands as a user types them: a PDF for good input; for bad input one clear
line on stderr, exit code 2 and no file written."""

from __future__ import annotations

import unicodedata
from pathlib import Path

import pytest

from desktop.cli import main
from tests.printing.conftest import (
    CLIENT,
    PRIVATE,
    PUBLIC,
    TODAY,
    pdf_pages,
    pdf_text,
    requires_poppler,
)

pytestmark = pytest.mark.usefixtures("qapp")


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str]:
    code = main(list(argv))
    _out, err = capsys.readouterr()
    return code, err


def assert_refused(code: int, err: str, *fragments: str) -> None:
    assert code == 2, err
    assert len(err.splitlines()) == 1, err
    assert "Traceback" not in err
    for fragment in fragments:
        assert fragment in err


@requires_poppler
def test_print_summary_by_name_defaults_to_the_client(
    capsys: pytest.CaptureFixture[str], printing_db: Path, tmp_path: Path
) -> None:
    out = tmp_path / "zebra.pdf"
    code, err = run(
        capsys,
        "print-summary",
        "zebra crossing",
        "--db",
        str(printing_db),
        "-o",
        str(out),
        "--today",
        TODAY.isoformat(),
    )
    assert code == 0, err
    text = pdf_text(out)
    assert CLIENT in text
    assert PRIVATE["rapport"] not in text
    code, err = run(
        capsys,
        "print-summary",
        CLIENT,
        "--db",
        str(printing_db),
        "-o",
        str(out),
        "--audience",
        "internal",
        "--today",
        TODAY.isoformat(),
    )
    assert code == 0, err
    assert PRIVATE["rapport"] in pdf_text(out)


def test_unknown_and_ambiguous_clients_are_refused(
    capsys: pytest.CaptureFixture[str], printing_db: Path, tmp_path: Path
) -> None:
    out = tmp_path / "x.pdf"
    code, err = run(capsys, "print-summary", "Nobody Ltd", "--db", str(printing_db), "-o", str(out))
    assert_refused(code, err, "Nobody Ltd", "no such client")
    # "a" is in many names: the message names candidates.
    code, err = run(capsys, "print-summary", "a", "--db", str(printing_db), "-o", str(out))
    assert_refused(code, err, "ambiguous", "'")
    assert not out.exists()


def test_bad_output_and_database_are_refused(
    capsys: pytest.CaptureFixture[str], printing_db: Path, tmp_path: Path
) -> None:
    db, gantt = ["--db", str(printing_db)], ["-o", str(tmp_path / "g.pdf")]
    # (what the user types, what the one line must name)
    typed: list[tuple[list[str], tuple[str, ...]]] = [
        (["print-summary", CLIENT, *db, "-o", str(tmp_path / "x.txt")], ("x.txt", ".pdf")),
        (
            ["print-summary", CLIENT, *db, "-o", str(tmp_path / "no" / "x.pdf")],
            ("no such folder",),
        ),
        (
            ["print-gantt", "--db", str(tmp_path / "missing.sqlite"), *gantt],
            ("missing.sqlite",),
        ),
        (["print-gantt", *db, *gantt, "--from", "2026-05-01", "--to", "2026-04-01"], ("--to",)),
        (["print-gantt", *db, *gantt, "--zoom", "year"], ("zoom",)),
        (["print-gantt", *db, *gantt, "--fit-pages", "0"], ("fit-pages",)),
        (
            ["print-agenda", "--client", "Nobody Ltd", *db, "-o", str(tmp_path / "a.pdf")],
            ("Nobody Ltd",),
        ),
    ]
    for argv, fragments in typed:
        code, err = run(capsys, *argv)
        assert_refused(code, err, *fragments)
    assert not any(tmp_path.glob("*.pdf"))


@requires_poppler
def test_print_gantt_and_agenda(
    capsys: pytest.CaptureFixture[str], printing_db: Path, tmp_path: Path
) -> None:
    gantt = tmp_path / "g.pdf"
    code, err = run(
        capsys,
        "print-gantt",
        "--project",
        "Zest packaging",
        "--db",
        str(printing_db),
        "-o",
        str(gantt),
        "--zoom",
        "day",
        "--fit-pages",
        "2",
        "--today",
        TODAY.isoformat(),
    )
    assert code == 0, err
    assert 1 <= pdf_pages(gantt) <= 2
    assert "Zine layouts" in pdf_text(gantt, 1)
    agenda = tmp_path / "a.pdf"
    code, err = run(
        capsys,
        "print-agenda",
        "--client",
        CLIENT,
        "--days",
        "14",
        "--db",
        str(printing_db),
        "-o",
        str(agenda),
        "--today",
        TODAY.isoformat(),
    )
    assert code == 0, err
    text = pdf_text(agenda)
    assert f"Meeting with {CLIENT}" in text
    assert "Send the zine proofs" in text
    assert PRIVATE["follow-up"] not in text and "People over-allocated" not in text
    code, err = run(
        capsys,
        "print-agenda",
        "--client",
        CLIENT,
        "--audience",
        "internal",
        "--days",
        "14",
        "--db",
        str(printing_db),
        "-o",
        str(agenda),
        "--today",
        TODAY.isoformat(),
    )
    assert code == 0, err
    text = pdf_text(agenda)
    assert PRIVATE["follow-up"] in text and "People over-allocated" in text


def test_a_client_copy_of_the_team_agenda_is_refused(
    capsys: pytest.CaptureFixture[str], printing_db: Path, tmp_path: Path
) -> None:
    code, err = run(
        capsys,
        "print-agenda",
        "--audience",
        "client",
        "--db",
        str(printing_db),
        "-o",
        str(tmp_path / "a.pdf"),
    )
    assert_refused(code, err, "--audience client", "--client")
    assert not any(tmp_path.glob("*.pdf"))


@requires_poppler
def test_print_gantt_without_a_project_prints_the_portfolio_as_the_app_does(
    capsys: pytest.CaptureFixture[str], printing_db: Path, tmp_path: Path
) -> None:
    from db.database import open_database
    from db.store import Store
    from desktop.portfolio.printing import portfolio_render
    from desktop.printing.output import write_pdf
    from desktop.printing.paper import page_layout

    out = tmp_path / "portfolio.pdf"
    code, err = run(
        capsys,
        "print-gantt",
        "--db",
        str(printing_db),
        "-o",
        str(out),
        "--today",
        TODAY.isoformat(),
        "--zoom",
        "month",
    )
    assert code == 0, err
    pages = pdf_pages(out)
    assert f"portfolio written on {pages} page" in err
    assert "--zoom applies to a project's plan only" in err
    # NFKC: the PDF writes "ff" as one ligature glyph.
    text = unicodedata.normalize("NFKC", " ".join(pdf_text(out, p) for p in range(1, pages + 1)))
    assert f"Portfolio, {TODAY:%d %B %Y} page 1 of {pages}" in text
    assert CLIENT in text and PUBLIC["project"] in text  # its group's row, its project's

    # What the Portfolio area's Print and Export as PDF draw, page for page.
    store = Store(open_database(printing_db))
    try:
        render, title = portfolio_render(store.session, today=TODAY)
        app = tmp_path / "app.pdf"
        write_pdf(app, render, page_layout(landscape=True), title)
    finally:
        store.close()
    assert [pdf_text(app, p) for p in range(1, pages + 1)] == [
        pdf_text(out, p) for p in range(1, pages + 1)
    ]

    ranged = tmp_path / "spring.pdf"
    code, err = run(
        capsys,
        "print-gantt",
        "--db",
        str(printing_db),
        "-o",
        str(ranged),
        "--today",
        TODAY.isoformat(),
        "--from",
        "2026-03-02",
        "--to",
        "2026-06-28",
    )
    assert code == 0, err
    header = pdf_text(ranged, 1)
    assert "Mar" in header and "Jun" in header and "Sep" not in header
