"""Japanese and English texts of the jobs pages."""

from __future__ import annotations

from ..i18n import Catalog

MESSAGES = Catalog({
    "title": {"en": "Scheduled jobs", "ja": "スケジュールジョブ"},
    "promote_title": {"en": "Promote a notebook", "ja": "ノートブックをジョブに昇格"},
    "promote_link": {"en": "Promote a notebook", "ja": "ノートブックを昇格"},
    "signed_in_as": {"en": "Signed in as {user}", "ja": "{user} としてログイン中"},
    "admin_note": {"en": "You are an admin and see every user's jobs.", "ja": "管理者のため全ユーザーのジョブを表示しています。"},
    "no_jobs": {"en": "No jobs yet. Promote a notebook to create one.", "ja": "ジョブはまだありません。ノートブックを昇格して作成してください。"},
    "job": {"en": "Job", "ja": "ジョブ"},
    "owner": {"en": "Owner", "ja": "所有者"},
    "schedule": {"en": "Schedule", "ja": "スケジュール"},
    "next_run": {"en": "Next run", "ja": "次回実行"},
    "recent_runs": {"en": "Recent runs", "ja": "最近の実行"},
    "actions": {"en": "Actions", "ja": "操作"},
    "paused": {"en": "paused", "ja": "一時停止中"},
    "run_now": {"en": "Run now", "ja": "今すぐ実行"},
    "pause": {"en": "Pause", "ja": "一時停止"},
    "resume": {"en": "Resume", "ja": "再開"},
    "output": {"en": "output", "ja": "出力"},
    "no_runs": {"en": "no runs", "ja": "実行なし"},
    "notebook": {"en": "Notebook (in your home directory)", "ja": "ノートブック (ホームディレクトリ内)"},
    "no_notebooks": {"en": "No notebooks found in your home directory.", "ja": "ホームディレクトリにノートブックがありません。"},
    "name": {"en": "Job name (lowercase letters, digits, '-')", "ja": "ジョブ名 (英小文字・数字・'-')"},
    "cron": {"en": "Schedule (cron, 5 fields, e.g. 0 7 * * *)", "ja": "スケジュール (cron 5 フィールド、例: 0 7 * * *)"},
    "timezone": {"en": "Time zone", "ja": "タイムゾーン"},
    "profile": {"en": "Profile (optional)", "ja": "プロファイル (任意)"},
    "parameters": {"en": "Parameters, one KEY=VALUE per line", "ja": "パラメータ (1 行に 1 つ KEY=VALUE)"},
    "submit": {"en": "Promote", "ja": "昇格する"},
    "promoted": {"en": "Job {name} was promoted.", "ja": "ジョブ {name} を昇格しました。"},
    "back": {"en": "Back to jobs", "ja": "ジョブ一覧へ戻る"},
    "status_succeeded": {"en": "succeeded", "ja": "成功"},
    "status_failed": {"en": "failed", "ja": "失敗"},
    "status_timed_out": {"en": "timed out", "ja": "タイムアウト"},
    "status_dead_kernel": {"en": "kernel died", "ja": "カーネル停止"},
    "status_running": {"en": "running", "ja": "実行中"},
    "status_abandoned": {"en": "abandoned", "ja": "中断"},
    "status_skipped": {"en": "skipped", "ja": "スキップ"},
    "run_error": {"en": "Reason", "ja": "原因"},
    "run_error_output_not_writable": {
        "en": "Output location {location} is not writable, so this run was recorded in {fallback}. "
              "Fix: make {location} a writable directory or bucket, or remove output.location from the job spec.",
        "ja": "出力先 {location} に書き込めないため、この実行は {fallback} に記録しました。"
              "対処: {location} を書き込み可能なディレクトリまたはバケットにするか、ジョブ定義から output.location を削除してください。",
    },
    # Promote form: field names for the error summary, then one message per problem.
    "list_separator": {"en": ", ", "ja": "、"},
    "field_notebook": {"en": "Notebook", "ja": "ノートブック"},
    "field_name": {"en": "Job name", "ja": "ジョブ名"},
    "field_schedule": {"en": "Schedule", "ja": "スケジュール"},
    "field_timezone": {"en": "Time zone", "ja": "タイムゾーン"},
    "field_profile": {"en": "Profile", "ja": "プロファイル"},
    "field_parameters": {"en": "Parameters", "ja": "パラメータ"},
    "error_summary": {
        "en": "The job was not promoted. Fix these fields and submit again: {fields}.",
        "ja": "ジョブは昇格されていません。次の項目を直して、もう一度送信してください: {fields}。",
    },
    "error_other": {"en": "The job was not promoted: {message}", "ja": "ジョブを昇格できませんでした: {message}"},
    "error_notebook_required": {"en": "Choose a notebook.", "ja": "ノートブックを選んでください。"},
    "error_notebook_outside_home": {
        "en": "{path} is not an .ipynb file in your home directory. Choose a notebook from the list.",
        "ja": "{path} はホームディレクトリ内の .ipynb ファイルではありません。一覧からノートブックを選んでください。",
    },
    "error_notebook_missing": {
        "en": "Notebook {path} was not found. Choose a notebook that exists in your home directory.",
        "ja": "ノートブック {path} が見つかりません。ホームディレクトリにあるノートブックを選んでください。",
    },
    "error_notebook_unreadable": {
        "en": "Notebook {path} cannot be read ({error}). Fix its permissions and submit again.",
        "ja": "ノートブック {path} を読めません ({error})。権限を直して、もう一度送信してください。",
    },
    "error_notebook_invalid": {
        "en": "{path} is not a valid notebook ({error}). Open and save it in JupyterLab, then submit again.",
        "ja": "{path} は正しいノートブックではありません ({error})。JupyterLab で開いて保存してから、もう一度送信してください。",
    },
    "error_no_parameters_cell": {
        "en": "{path} has no cell tagged 'parameters', so a job cannot set its values. In JupyterLab select the cell "
              "with the default values, add the tag 'parameters' (property inspector > Cell Tags), save, and submit again.",
        "ja": "{path} に 'parameters' タグの付いたセルがないため、ジョブから値を渡せません。JupyterLab で既定値のセルを選び、"
              "プロパティインスペクタの Cell Tags に 'parameters' を追加して保存してから、もう一度送信してください。",
    },
    "error_parameters_cell_invalid": {
        "en": "The parameters cell of {path} is not valid Python (line {line}: {error}). Fix the cell, save, and submit again.",
        "ja": "{path} の parameters セルが Python として正しくありません ({line} 行目: {error})。セルを直して保存し、もう一度送信してください。",
    },
    "error_kernel_missing": {
        "en": "Kernel {kernel} of {path} is not installed where jobs run (installed: {available}). "
              "Switch the notebook to one of them (Kernel > Change Kernel), save, and submit again.",
        "ja": "{path} のカーネル {kernel} はジョブの実行環境にありません (利用可能: {available})。"
              "Kernel > Change Kernel で切り替えて保存し、もう一度送信してください。",
    },
    "error_name_required": {"en": "Enter a job name.", "ja": "ジョブ名を入力してください。"},
    "error_name_invalid": {
        "en": "Job name {value} is invalid: use 1-52 lowercase letters, digits or '-', starting and ending "
              "with a letter or digit, such as daily-delay-report.",
        "ja": "ジョブ名 {value} は使えません。英小文字・数字・'-' で 1〜52 文字、先頭と末尾は英小文字か数字にしてください (例: daily-delay-report)。",
    },
    "error_forbidden": {
        "en": "Job name {value} belongs to another user. Choose another name.",
        "ja": "ジョブ名 {value} は別のユーザーが使っています。別の名前にしてください。",
    },
    "error_schedule_required": {"en": "Enter a schedule.", "ja": "スケジュールを入力してください。"},
    "error_schedule_invalid": {
        "en": "Schedule {value} is not a 5-field cron expression. Write minute hour day-of-month month day-of-week, such as 0 7 * * *.",
        "ja": "スケジュール {value} は 5 フィールドの cron 式ではありません。分 時 日 月 曜日の順に書いてください (例: 0 7 * * *)。",
    },
    "error_timezone_invalid": {
        "en": "Time zone {value} is not an IANA time zone name. Use a name such as Asia/Tokyo or UTC.",
        "ja": "タイムゾーン {value} は IANA のタイムゾーン名ではありません。Asia/Tokyo や UTC のような名前にしてください。",
    },
    "error_unknown_profile": {
        "en": "Profile {profile} does not exist. Available profiles: {available}.",
        "ja": "プロファイル {profile} は存在しません。利用可能なプロファイル: {available}。",
    },
    "error_parameters_line": {
        "en": "Line {number} ({line}) is not KEY=VALUE. Write one parameter per line.",
        "ja": "{number} 行目 ({line}) が KEY=VALUE の形ではありません。1 行に 1 つずつ書いてください。",
    },
    "error_parameters_reserved": {
        "en": "{name} is set by the runner for every run and cannot be a parameter. Remove that line.",
        "ja": "{name} は実行時にランナーが設定するため、パラメータにできません。その行を削除してください。",
    },
    "error_unknown_parameter": {
        "en": "Parameter(s) {names} are not defined in the notebook's parameters cell (defined: {defined}). "
              "Correct the name or add it to that cell.",
        "ja": "パラメータ {names} はノートブックの parameters セルにありません (定義済み: {defined})。名前を直すか、そのセルに追加してください。",
    },
    "error_parameter_type": {
        "en": "Parameter {name}: value {value} does not match the type of its default, {expected}. Give a {expected} value "
              "(dates as ISO strings such as 2024-01-31).",
        "ja": "パラメータ {name}: 値 {value} が既定値の型 {expected} と一致しません。{expected} の値を指定してください "
              "(日付は 2024-01-31 のような ISO 形式)。",
    },
})
