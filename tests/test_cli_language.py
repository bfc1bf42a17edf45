"""The ``nbplatform`` command in Japanese and English, chosen by ``LANG``.

Most tests run the real command in a subprocess, so the locale is read from
the environment exactly as a user's shell sets it.
"""

from __future__ import annotations

import io
import os
import string
import subprocess
import sys
from contextlib import redirect_stderr
from pathlib import Path

import pytest

from nbplatform.auth.messages import MESSAGES as AUTH_MESSAGES
from nbplatform.cli.messages import CATALOG as CLI_MESSAGES
from nbplatform.config_messages import CATALOG as CONFIG_MESSAGES
from nbplatform.cli.parser import USAGE_ERROR_KEYS, LocalizedArgumentParser, wrap_wide
from nbplatform.jobs.messages import CATALOG as JOBS_MESSAGES
from nbplatform.profiles.messages import CATALOG as PROFILE_MESSAGES
from nbplatform.spawners.form import TEXTS as FORM_TEXTS
from nbplatform.web.messages import MESSAGES as WEB_MESSAGES
from nbplatform.web.profiles_admin import TEXTS as ADMIN_TEXTS

REPO_ROOT = Path(__file__).resolve().parents[1]
NOTEBOOKS = REPO_ROOT / "tests" / "jobs" / "notebooks"
JAPANESE = "ja_JP.UTF-8"
ENGLISH = "C.UTF-8"

BROKEN_PROFILE = """\
- display_name: Small
  slug: small
  kubespawner_override:
    mem_limit: 16GB
  max_servrs: 2
"""


def run_cli(lang: str, *args: str, data_dir: Path) -> subprocess.CompletedProcess[str]:
    env = {key: value for key, value in os.environ.items() if key not in ("LC_ALL", "LC_MESSAGES")}
    env["LANG"] = lang
    env["COLUMNS"] = "1000"  # one line per help entry, so texts are not wrapped apart
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(REPO_ROOT), env.get("PYTHONPATH")]))
    env["NBPLATFORM_DATA_DIR"] = str(data_dir)
    env["NBPLATFORM_JOBS_DIR"] = str(data_dir / "jobs")
    env["NBPLATFORM_PROFILES_DIR"] = str(REPO_ROOT / "profiles")
    env["JUPYTERHUB_USER"] = "alice"
    env.pop("NBPLATFORM_RUNS_URL", None)
    env.pop("NBPLATFORM_SNAPSHOTS_URL", None)
    return subprocess.run(
        [sys.executable, "-m", "nbplatform.cli.main", *args],
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
        check=False,
    )


@pytest.fixture
def broken_profiles(tmp_path: Path) -> Path:
    directory = tmp_path / "profiles"
    directory.mkdir()
    (directory / "broken.yaml").write_text(BROKEN_PROFILE, encoding="utf-8")
    return directory


# Profile validation ---------------------------------------------------------------


def test_validate_japanese(broken_profiles, tmp_path):
    result = run_cli(JAPANESE, "profiles", "validate", str(broken_profiles), data_dir=tmp_path / "data")
    assert result.returncode == 1
    memory_line = next(line for line in result.stdout.splitlines() if "mem_limit" in line)
    assert memory_line.startswith(f"{broken_profiles / 'broken.yaml'}:4: small: kubespawner_override.mem_limit: ")
    assert "メモリサイズ '16GB' が無効です。" in memory_line
    assert "'16G' と書いてください。" in memory_line
    key_line = next(line for line in result.stdout.splitlines() if "max_servrs" in line)
    assert f"{broken_profiles / 'broken.yaml'}:5: small: max_servrs: " in key_line
    assert "'max_servers' の誤りではありませんか？" in key_line
    assert "2 件の問題があります" in result.stderr
    assert "invalid memory size" not in result.stdout


def test_validate_english(broken_profiles, tmp_path):
    result = run_cli(ENGLISH, "profiles", "validate", str(broken_profiles), data_dir=tmp_path / "data")
    assert result.returncode == 1
    memory_line = next(line for line in result.stdout.splitlines() if "mem_limit" in line)
    assert memory_line.startswith(f"{broken_profiles / 'broken.yaml'}:4: small: kubespawner_override.mem_limit: ")
    assert "invalid memory size '16GB'. Write '16G'" in memory_line
    key_line = next(line for line in result.stdout.splitlines() if "max_servrs" in line)
    assert "unknown profile key 'max_servrs'. Did you mean 'max_servers'?" in key_line
    assert "2 problem(s) in" in result.stderr


def test_validate_ok_japanese(tmp_path):
    result = run_cli(JAPANESE, "profiles", "validate", str(REPO_ROOT / "profiles"), data_dir=tmp_path / "data")
    assert result.returncode == 0
    assert "個のプロファイルはすべて正常です。" in result.stdout


def test_missing_directory_japanese(tmp_path):
    result = run_cli(JAPANESE, "profiles", "validate", str(tmp_path / "nope"), data_dir=tmp_path / "data")
    assert result.returncode == 1
    assert result.stderr.startswith("nbplatform: エラー: プロファイルディレクトリ ")
    assert "NBPLATFORM_PROFILES_DIR を設定してください" in result.stderr


# Promote --------------------------------------------------------------------------


def test_promote_no_parameters_japanese(tmp_path):
    notebook = NOTEBOOKS / "no_parameters.ipynb"
    result = run_cli(
        JAPANESE, "promote", str(notebook), "--name", "bare", "--schedule", "0 7 * * *", data_dir=tmp_path / "data"
    )
    assert result.returncode == 1
    assert result.stderr.startswith("nbplatform: エラー: ")
    assert str(notebook) in result.stderr
    assert "'parameters' タグの付いたセルがないため" in result.stderr
    assert "Common Tools > Cell Tags" in result.stderr


def test_promote_no_parameters_english(tmp_path):
    notebook = NOTEBOOKS / "no_parameters.ipynb"
    result = run_cli(
        ENGLISH, "promote", str(notebook), "--name", "bare", "--schedule", "0 7 * * *", data_dir=tmp_path / "data"
    )
    assert result.returncode == 1
    assert result.stderr.startswith("nbplatform: error: ")
    assert f"{notebook} has no cell tagged 'parameters'" in result.stderr


def test_promote_bad_schedule_japanese(tmp_path):
    result = run_cli(
        JAPANESE, "promote", str(NOTEBOOKS / "typed.ipynb"), "--name", "typed", "--schedule", "0 7 * *",
        data_dir=tmp_path / "data",
    )
    assert result.returncode == 1
    assert "typed.yaml: フィールド schedule: 値 '0 7 * *' は無効です" in result.stderr
    assert "修正方法: '0 7 * * *' のように 5 つのフィールド" in result.stderr


def test_promote_bad_schedule_english(tmp_path):
    result = run_cli(
        ENGLISH, "promote", str(NOTEBOOKS / "typed.ipynb"), "--name", "typed", "--schedule", "0 7 * *",
        data_dir=tmp_path / "data",
    )
    assert result.returncode == 1
    assert "typed.yaml: field schedule: value '0 7 * *' is invalid" in result.stderr
    assert "Fix: use five fields such as '0 7 * * *'" in result.stderr


def test_promote_wrong_type_japanese(tmp_path):
    result = run_cli(
        JAPANESE, "promote", str(NOTEBOOKS / "typed.ipynb"), "--name", "typed", "--schedule", "0 7 * * *",
        "-p", "verbose", "maybe", data_dir=tmp_path / "data",
    )
    assert result.returncode == 1
    assert "パラメーター 'verbose': 値 'maybe'（str）は既定値" in result.stderr
    assert "修正方法: bool の値を指定してください。" in result.stderr


def test_promote_success_japanese(tmp_path):
    result = run_cli(
        JAPANESE, "promote", str(NOTEBOOKS / "typed.ipynb"), "--name", "typed", "--schedule", "0 7 * * *",
        data_dir=tmp_path / "data",
    )
    assert result.returncode == 0, result.stderr
    assert "typed.ipynb をジョブ 'typed' として昇格しました" in result.stdout
    assert "ジョブ仕様: " in result.stdout


# Jobs ----------------------------------------------------------------------------------


def test_jobs_unknown_japanese(tmp_path):
    result = run_cli(JAPANESE, "jobs", "show", "nope", data_dir=tmp_path / "data")
    assert result.returncode == 1
    assert "ジョブ 'nope' はありません。'nbplatform jobs list'" in result.stderr


def test_jobs_unknown_english(tmp_path):
    result = run_cli(ENGLISH, "jobs", "show", "nope", data_dir=tmp_path / "data")
    assert result.returncode == 1
    assert "No job named 'nope' in" in result.stderr


# Help and usage errors ----------------------------------------------------------------


@pytest.mark.parametrize("command", ["up", "data", "profiles", "promote", "jobs", "users"])
def test_command_help_japanese(command, tmp_path):
    result = run_cli(JAPANESE, command, "--help", data_dir=tmp_path / "data")
    assert result.returncode == 0
    assert result.stdout.startswith(f"使い方: nbplatform {command}")
    assert "オプション:" in result.stdout
    assert "このヘルプを表示して終了します" in result.stdout
    assert "show this help message" not in result.stdout


def test_top_help_japanese(tmp_path):
    result = run_cli(JAPANESE, "--help", data_dir=tmp_path / "data")
    assert result.returncode == 0
    assert "ノートブックプラットフォームです。" in result.stdout
    assert "ノートブックを Papermill のスケジュールジョブに昇格します" in result.stdout


def test_top_help_english(tmp_path):
    result = run_cli(ENGLISH, "--help", data_dir=tmp_path / "data")
    assert result.returncode == 0
    assert result.stdout.startswith("usage: nbplatform")
    assert "promote a notebook to a scheduled Papermill job" in result.stdout


def test_promote_help_keeps_option_names(tmp_path):
    result = run_cli(JAPANESE, "promote", "--help", data_dir=tmp_path / "data")
    assert "--schedule SCHEDULE" in result.stdout
    assert "5 フィールドの cron 式です" in result.stdout


def test_missing_arguments_japanese(tmp_path):
    result = run_cli(JAPANESE, "promote", "x.ipynb", data_dir=tmp_path / "data")
    assert result.returncode == 2
    assert result.stderr.startswith("使い方: nbplatform promote")
    assert "nbplatform promote: エラー: 次の引数は必須です: --name, --schedule" in result.stderr


def test_missing_arguments_english(tmp_path):
    result = run_cli(ENGLISH, "promote", "x.ipynb", data_dir=tmp_path / "data")
    assert result.returncode == 2
    assert "nbplatform promote: error: the following arguments are required: --name, --schedule" in result.stderr


def parse_error(args: list[str]) -> str:
    """Return what a Japanese parser writes to stderr when it rejects ``args``."""
    parser = LocalizedArgumentParser(prog="demo", locale="ja")
    parser.add_argument("--count", type=int)
    parser.add_argument("--mode", choices=["a", "b"])
    parser.add_argument("--pair", nargs=2)
    parser.add_argument("--name")
    parser.add_argument("--names")
    parser.add_argument("path")
    stderr = io.StringIO()
    with redirect_stderr(stderr), pytest.raises(SystemExit):
        parser.parse_args(args)
    return stderr.getvalue()


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        (["--count", "x", "p"], "引数 --count: int として無効な値です: 'x'"),
        (["--mode", "c", "p"], "引数 --mode: 'c' は選択できません（'a', 'b' から選んでください）"),
        (["--pair", "1"], "引数 --pair: 値を 2 個指定してください"),
        (["p", "--name"], "引数 --name: 値を 1 つ指定してください"),
        (["p", "--na", "v"], "オプション --na があいまいです（--name, --names のどれにも一致します）"),
        (["p", "extra"], "認識できない引数があります: extra"),
        ([], "次の引数は必須です: path"),
    ],
)
def test_usage_error_japanese(args, expected):
    assert f"demo: エラー: {expected}\n" in parse_error(args)


def test_usage_error_keys_have_patterns():
    for key in USAGE_ERROR_KEYS:
        assert key in CLI_MESSAGES.keys()


# Catalogs ------------------------------------------------------------------------------

CATALOGS = {
    "cli": CLI_MESSAGES,
    "config": CONFIG_MESSAGES,
    "profiles": PROFILE_MESSAGES,
    "jobs": JOBS_MESSAGES,
    "web": WEB_MESSAGES,
    "auth": AUTH_MESSAGES,
    "form": FORM_TEXTS,
    "profiles-admin": ADMIN_TEXTS,
}
#: Texts that are the same in both languages: formats of identifiers and values only.
SAME_IN_BOTH = {("profiles", "described-value"), ("profiles", "what-slug")}


def fields_of(template: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(template) if name}


@pytest.mark.parametrize("room", sorted(CATALOGS))
def test_catalog_has_both_languages(room):
    catalog = CATALOGS[room]
    for key in catalog.keys():
        texts = catalog.texts(key)
        assert texts["en"].strip(), f"{room}:{key} has no English text"
        assert texts["ja"].strip(), f"{room}:{key} has no Japanese text"
        assert fields_of(texts["en"]) == fields_of(texts["ja"]), f"{room}:{key} uses different fields"
        if (room, key) not in SAME_IN_BOTH:
            assert texts["en"] != texts["ja"], f"{room}:{key} is not translated"


# Wrapping of Japanese help ---------------------------------------------------------------


def test_wrap_wide_fits_columns():
    text = CLI_MESSAGES.get("help-profiles-render-description", "ja")
    lines = wrap_wide(text, 40)
    assert len(lines) > 1
    for line in lines:
        width = sum(2 if ord(char) > 0x2E80 else 1 for char in line)
        assert width <= 42, line


def test_wrap_wide_keeps_punctuation_attached():
    lines = wrap_wide("あ" * 9 + "。次の文です。", 18)
    assert lines[0].endswith("。")
    assert not any(line.startswith("。") for line in lines)


def test_wrap_wide_keeps_all_text():
    text = CLI_MESSAGES.get("help-promote-description", "ja")
    assert "".join(wrap_wide(text, 30)).replace(" ", "") == text.replace(" ", "")


def test_up_remote_bind_japanese(tmp_path):
    result = run_cli(JAPANESE, "up", "--ip", "0.0.0.0", data_dir=tmp_path / "data")
    assert result.returncode == 1
    assert "nbplatform: エラー: ローカルのパスワード認証は 1 台のマシンで使うためのもの" in result.stderr
    assert "'0.0.0.0'" in result.stderr
    assert "--allow-remote" in result.stderr


def test_up_remote_bind_english(tmp_path):
    result = run_cli(ENGLISH, "up", "--ip", "0.0.0.0", data_dir=tmp_path / "data")
    assert result.returncode == 1
    assert "nbplatform: error: Refusing to listen on '0.0.0.0'" in result.stderr


def test_usage_continuation_aligned(monkeypatch):
    monkeypatch.setenv("COLUMNS", "60")
    parser = LocalizedArgumentParser(prog="demo", locale="ja")
    for index in range(8):
        parser.add_argument(f"--option-{index}", metavar="VALUE")
    lines = parser.format_usage().rstrip("\n").split("\n")
    assert len(lines) > 1
    assert lines[0].startswith("使い方: demo [")
    start = len("使い方: demo ") + 3  # the three wide characters take two columns each
    for line in lines[1:]:
        assert line[start - 1] == " ", line
        assert line[start] == "[", line


def test_users_file_missing_japanese(tmp_path):
    result = run_cli(JAPANESE, "users", "list", data_dir=tmp_path / "data")
    assert result.returncode == 1
    assert f"nbplatform: エラー: ユーザーファイル {tmp_path / 'data' / 'users.yaml'} が見つかりません。" in result.stderr
    assert "'nbplatform users add NAME --admin'" in result.stderr


@pytest.mark.parametrize("port", ["0", "99999", "abc"])
def test_up_rejects_bad_port(tmp_path, port):
    # Rejected before anything starts, naming the option the value came from.
    result = run_cli(ENGLISH, "up", "--port", port, data_dir=tmp_path)
    assert result.returncode != 0
    assert f"--port='{port}' is not a port number" in result.stderr
    assert "NBPLATFORM_PORT" not in result.stderr
