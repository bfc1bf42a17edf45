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
})
