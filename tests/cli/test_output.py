"""Output modes: tables for people, JSON and JSON lines for scripts, nothing else on stdout."""

from __future__ import annotations

import io
import json
import sys
from urllib.parse import parse_qs, urlsplit

import pytest

from avala.cli._output import columns_for
from avala.types.projects import Project
from avala.types.webhooks import Webhook

from .conftest import KEY, Result, Run, Served


@pytest.fixture
def run(cli: Run, fresh: Served) -> Run:
    def invoke(*args: str) -> Result:
        return cli("--base-url", fresh.base_url, "--api-key", KEY, *args)

    return invoke


def test_json_list_is_one_array_in_model_field_order(avala: Run) -> None:
    result = avala("projects", "list")
    assert result.code == 0
    assert result.stderr == ""
    projects = json.loads(result.stdout)  # the whole stdout is one JSON document
    assert isinstance(projects, list)
    assert projects
    assert list(projects[0]) == list(Project.__struct_fields__)


def test_json_objects_keep_fields_equal_to_their_default(avala: Run, shared: Served) -> None:
    # Webhook.is_active defaults to True: msgspec alone would leave it out.
    hook = avala("webhooks", "get", shared.ids["webhook.main"]).json()
    assert list(hook) == list(Webhook.__struct_fields__)
    assert hook["is_active"] is True
    assert hook["secret"]  # scripts get the secret; tables mask it


def test_jsonl_is_one_object_per_line(avala: Run) -> None:
    result = avala("-o", "jsonl", "tasks", "list", "--project-id", "proj_123")
    lines = result.stdout.splitlines()
    assert len(lines) >= 3
    assert all(json.loads(line)["project"] == "proj_123" for line in lines)


def test_json_of_one_object_and_of_an_empty_list(avala: Run) -> None:
    assert avala("projects", "get", "proj_123").json()["name"] == "Demo Project"
    empty = avala("projects", "create", "--name", "Empty").json()["uid"]
    assert avala("tasks", "list", "--project-id", empty).stdout == "[]\n"
    assert avala("-o", "jsonl", "tasks", "list", "--project-id", empty).stdout == ""


def test_table_list(run: Run, fresh: Served) -> None:
    result = run("-o", "table", "webhooks", "list")
    assert result.code == 0
    header = result.stdout.splitlines()[0].split()
    assert header[0] == "uid"
    assert "secret" not in header
    assert fresh.ids["webhook.main"] in result.stdout
    assert result.stderr.strip() == "1 item"


def test_table_object_masks_secrets(run: Run, fresh: Served) -> None:
    result = run("-o", "table", "webhooks", "get", fresh.ids["webhook.main"])
    assert result.code == 0
    rows = dict(line.split(None, 1) for line in result.stdout.splitlines() if line.strip())
    assert rows["secret"].strip() == "***"
    assert rows["target_url"].strip() == "https://example.com/hooks/avala"


def test_table_cells_cannot_style_the_terminal(run: Run) -> None:
    created = run("-o", "json", "projects", "create", "--name", "[bold red]x\x1b[2J")
    assert created.code == 0
    uid = json.loads(created.stdout)["uid"]
    shown = run("-o", "table", "projects", "get", uid).stdout
    assert "[bold red]x" in shown
    assert "\x1b" not in shown


def test_default_output_is_json_in_a_pipe_and_avala_output_overrides(
    cli: Run, shared: Served, monkeypatch: pytest.MonkeyPatch
) -> None:
    base = ("--base-url", shared.base_url, "--api-key", KEY)
    assert isinstance(cli(*base, "projects", "list").json(), list)
    monkeypatch.setenv("AVALA_OUTPUT", "jsonl")
    assert len(cli(*base, "projects", "list").stdout.splitlines()) >= 3
    monkeypatch.setenv("AVALA_OUTPUT", "xml")
    assert cli(*base, "projects", "list").code == 2


def test_delete_prints_nothing_in_json_and_confirms_in_table_mode(run: Run) -> None:
    first = json.loads(run("-o", "json", "projects", "create", "--name", "a").stdout)["uid"]
    second = json.loads(run("-o", "json", "projects", "create", "--name", "b").stdout)["uid"]
    quiet = run("-o", "json", "projects", "delete", first)
    assert (quiet.code, quiet.stdout, quiet.stderr) == (0, "", "")
    loud = run("-o", "table", "projects", "delete", second)
    assert (loud.code, loud.stdout) == (0, "")
    assert loud.stderr.strip() == f"Done: projects delete {second}"


def test_optional_results_print_null_and_scalars_print_json(avala: Run, shared: Served) -> None:
    assert avala("organizations", "slug-for-uid", "nope").stdout == "null\n"
    org = shared.ids["organization.demo-org"]
    assert avala("organizations", "slug-for-uid", org).json() == "demo-org"
    assert avala("-o", "table", "organizations", "slug-for-uid", org).stdout == "demo-org\n"


def test_limit_caps_items_and_sets_the_page_size(run: Run, fresh: Served) -> None:
    fresh.api.seed_tasks(30)
    before = len(fresh.api.log)
    result = run("-o", "jsonl", "tasks", "list", "--limit", "7")
    assert len(result.stdout.splitlines()) == 7
    requests = list(fresh.api.log)[before:]
    assert len(requests) == 1
    assert dict(requests[0].query)["limit"] == "7"


def test_limit_walks_several_pages_with_page_size(run: Run, fresh: Served) -> None:
    fresh.api.seed_tasks(30)
    before = len(fresh.api.log)
    result = run("-o", "json", "tasks", "list", "--limit", "25", "--page-size", "10")
    assert len(json.loads(result.stdout)) == 25
    pages = [dict(r.query).get("limit") for r in list(fresh.api.log)[before:]]
    assert pages == ["10", "10", "10"]


def test_list_walks_every_page_without_limit(run: Run, fresh: Served) -> None:
    demo = len(run("-o", "jsonl", "tasks", "list").stdout.splitlines())
    fresh.api.seed_tasks(45)
    before = len(fresh.api.log)
    result = run("-o", "jsonl", "tasks", "list", "--page-size", "20")
    assert len(result.stdout.splitlines()) == demo + 45
    assert len(fresh.api.log) - before == 3  # pages of 20, 20 and the rest


def test_large_limits_ask_for_pages_of_at_most_1000(run: Run, fresh: Served) -> None:
    before = len(fresh.api.log)
    run("-o", "jsonl", "tasks", "list", "--limit", "5000")
    query = parse_qs(
        urlsplit("?" + "&".join(f"{k}={v}" for k, v in fresh.api.log[before].query)).query
    )
    assert query["limit"] == ["1000"]


def test_columns_put_identity_and_status_first() -> None:
    assert columns_for(Project)[:3] == ["uid", "name", "status"]
    assert "secret" not in columns_for(Webhook)


def test_long_table_listings_stream_in_aligned_columns(run: Run, fresh: Served) -> None:
    fresh.api.seed_tasks(450, name="Row")
    result = run("-o", "table", "tasks", "list", "--status", "pending", "--page-size", "1000")
    assert result.code == 0
    lines = result.stdout.splitlines()
    header, rule, rows = lines[0], lines[1], lines[2:]
    assert header.split() == ["uid", "name", "status", "type", "project", "created_at"]
    assert set(rule) == {"─"}
    assert len(rows) >= 450
    assert result.stderr.strip() == f"{len(rows)} items"
    # Every row past the sampled first ones keeps the columns the header set.
    status_at = header.index("status")
    assert {row[status_at : status_at + 7] for row in rows} == {"pending"}


def test_output_option_also_after_the_command(avala: Run) -> None:
    result = avala("projects", "list", "-o", "jsonl")  # the global -o json comes first
    assert len(result.stdout.splitlines()) >= 3
    assert all(json.loads(line)["uid"] for line in result.stdout.splitlines())


class FakeTerminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_progress_goes_to_a_terminal_stderr_only(
    avala: Run, shared: Served, monkeypatch: pytest.MonkeyPatch
) -> None:
    from avala.cli._progress import progress_enabled

    assert not progress_enabled()  # the fixtures set AVALA_NO_PROGRESS
    monkeypatch.delenv("AVALA_NO_PROGRESS")
    assert not progress_enabled()  # pytest's stderr is no terminal
    terminal = FakeTerminal()
    monkeypatch.setattr(sys, "stderr", terminal)
    assert progress_enabled()
    created = avala("exports", "create", "--project", "proj_456").json()
    result = avala("exports", "wait", created["uid"], "--interval", "0.5")
    assert result.code == 0
    assert json.loads(result.stdout)["status"] == "exported"  # stdout: the result only
    assert "Waiting for exports" in terminal.getvalue()
