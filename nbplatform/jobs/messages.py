"""English and Japanese texts of the errors the jobs room raises for promote and job specs.

Errors carry these as :class:`~nbplatform.i18n.Message` objects, so the CLI
and the jobs pages show them in the reader's language while ``str()`` and the
logs keep the English text. Names of fields, tags, kernels and commands stay
untranslated.
"""

from __future__ import annotations

from ..i18n import Catalog

CATALOG = Catalog(
    {
        # Promote: the notebook -----------------------------------------------------
        "notebook-missing": {
            "en": "Notebook {path} not found. Give the path of an .ipynb file.",
            "ja": "ノートブック {path} が見つかりません。.ipynb ファイルのパスを指定してください。",
        },
        "notebook-unreadable": {
            "en": "Cannot read notebook {path}: {reason}.",
            "ja": "ノートブック {path} を読み込めません: {reason}。",
        },
        "notebook-invalid": {
            "en": "{path} is not a valid notebook: {error}. Open and save it in JupyterLab, then retry.",
            "ja": "{path} は有効なノートブックではありません（{error}）。JupyterLab で開いて保存してから、もう一度実行してください。",
        },
        "this-notebook": {"en": "the notebook", "ja": "このノートブック"},
        "tag-help": {
            "en": "In JupyterLab select the cell that holds the default values, open the property inspector "
            "(the gear icon in the right sidebar), and add the tag 'parameters' under Common Tools > Cell Tags.",
            "ja": "JupyterLab で既定値を書いたセルを選択し、右サイドバーの歯車アイコンからプロパティインスペクターを開いて、"
            "Common Tools > Cell Tags にタグ 'parameters' を追加してください。",
        },
        "no-parameters-cell": {
            "en": "{notebook} has no cell tagged 'parameters', so a job could not set its values. {help}",
            "ja": "{notebook} には 'parameters' タグの付いたセルがないため、ジョブから値を設定できません。{help}",
        },
        "parameters-cell-syntax": {
            "en": "The parameters cell is not valid Python (line {line}: {error}). Fix the cell and promote again.",
            "ja": "parameters セルが有効な Python ではありません（{line} 行目: {error}）。セルを修正してから、もう一度昇格してください。",
        },
        "iso-hint": {"en": " as an ISO string such as 2024-01-31", "ja": "（2024-01-31 のような ISO 形式の文字列）"},
        "parameter-type": {
            "en": "Parameter {name!r}: value {value!r} ({type}) does not match the default {default!r}, "
            "which is {expected}. Fix: give a {expected} value{hint}.",
            "ja": "パラメーター {name!r}: 値 {value!r}（{type}）は既定値 {default!r}（{expected}）の型と一致しません。"
            "修正方法: {expected} の値{hint}を指定してください。",
        },
        "unknown-parameters": {
            "en": "Parameter(s) {names} are not defined in the parameters cell of {notebook}. Defined: {known}. "
            "Fix: add them to that cell or correct the name.",
            "ja": "パラメーター {names} は {notebook} の parameters セルで定義されていません。定義済み: {known}。"
            "修正方法: そのセルに追加するか、名前を修正してください。",
        },
        "none-defined": {"en": "(none)", "ja": "（なし）"},
        "value-not-passable": {
            "en": "Value {value!r} of type {type} cannot be passed to a notebook.",
            "ja": "{type} 型の値 {value!r} はノートブックに渡せません。",
        },
        "kernel-missing": {
            "en": "Kernel {name!r} is not installed where jobs run. Installed kernels: {available}. "
            "Fix: switch the notebook to one of them (Kernel > Change Kernel) or install the kernel.",
            "ja": "カーネル {name!r} はジョブの実行環境にインストールされていません。インストール済みのカーネル: {available}。"
            "修正方法: ノートブックのカーネルをそのいずれかに切り替える（Kernel > Change Kernel）か、カーネルをインストールしてください。",
        },
        # Promote: the job ------------------------------------------------------------
        "unknown-profile": {
            "en": "Profile {profile!r} does not exist. Available profiles: {slugs}.",
            "ja": "プロファイル {profile!r} は存在しません。使用できるプロファイル: {slugs}。",
        },
        "job-owned-by-other": {
            "en": "Job {name!r} belongs to {owner!r}. Choose another name for your job.",
            "ja": "ジョブ {name!r} の所有者は {owner!r} です。ジョブに別の名前を付けてください。",
        },
        # Job specs ----------------------------------------------------------------------
        "spec-not-mapping": {
            "en": "{source}: expected a mapping of job fields, got {type}.",
            "ja": "{source}: ジョブのフィールドのマッピングが必要ですが、{type} が指定されています。",
        },
        "spec-field-missing": {
            "en": "{source}: field {field} is missing. Fix: add it ({fix}).",
            "ja": "{source}: フィールド {field} がありません。修正方法: 追加してください（{fix}）。",
        },
        "spec-field-invalid": {
            "en": "{source}: field {field}: value {value!r} is invalid: {problem}. Fix: {fix}.",
            "ja": "{source}: フィールド {field}: 値 {value!r} は無効です（{problem}）。修正方法: {fix}。",
        },
        "spec-top-level": {"en": "(top level)", "ja": "（最上位）"},
        "spec-unreadable": {
            "en": "{path}: cannot read the job spec ({reason}). Fix its permissions.",
            "ja": "{path}: ジョブ仕様を読み込めません（{reason}）。ファイルの権限を修正してください。",
        },
        "spec-invalid-yaml": {
            "en": "{path}: invalid YAML: {error}. Fix: correct the syntax at the position shown.",
            "ja": "{path}: YAML が無効です（{error}）。修正方法: 示された位置の構文を修正してください。",
        },
        "spec-name-mismatch": {
            "en": "{path}: field name: value {name!r} does not match the file name. "
            "Fix: rename the file to {file_name} or set name: {stem}.",
            "ja": "{path}: フィールド name: 値 {name!r} がファイル名と一致しません。"
            "修正方法: ファイル名を {file_name} に変更するか、name: {stem} を設定してください。",
        },
        "spec-missing": {"en": "{path}: no such job spec.", "ja": "{path}: ジョブ仕様がありません。"},
        "job-name-invalid": {
            "en": "No job named {name!r}: job names are lowercase letters, digits and '-'.",
            "ja": "ジョブ {name!r} はありません。ジョブ名に使えるのは英小文字、数字、'-' です。",
        },
        "job-not-found": {
            "en": "No job named {name!r} in {directory}. List jobs with 'nbplatform jobs list'.",
            "ja": "{directory} にジョブ {name!r} はありません。'nbplatform jobs list' でジョブの一覧を確認してください。",
        },
        "job-not-found-delete": {
            "en": "No job named {name!r} in {directory}.",
            "ja": "{directory} にジョブ {name!r} はありません。",
        },
        "image-missing": {
            "en": "Job {name!r}: field image is missing. Fix: set image to the notebook image pinned by digest, "
            "such as registry/image@sha256:<64 hex digits>.",
            "ja": "ジョブ {name!r}: フィールド image がありません。修正方法: image にダイジェストで固定したノートブックイメージ"
            "（registry/image@sha256:<64 桁の 16 進数> など）を設定してください。",
        },
        "image-not-pinned": {
            "en": "Job {name!r}: field image: value {image!r} is not pinned by digest, so a rebuilt tag could change "
            "the job. Fix: use registry/image@sha256:<digest> (see 'gcloud artifacts docker images describe').",
            "ja": "ジョブ {name!r}: フィールド image: 値 {image!r} がダイジェストで固定されていないため、タグが再ビルドされると"
            "ジョブの内容が変わるおそれがあります。修正方法: registry/image@sha256:<digest> の形式で指定してください"
            "（'gcloud artifacts docker images describe' で確認できます）。",
        },
        "no-scheduled-timestamp": {
            "en": "Job {name!r} has no {annotation} annotation. It was not created by a CronJob on "
            "Kubernetes 1.28 or later; pass --logical-date instead.",
            "ja": "Job {name!r} に {annotation} アノテーションがありません。Kubernetes 1.28 以降の CronJob が作成した Job ではないため、"
            "代わりに --logical-date を指定してください。",
        },
        # What to do about an invalid spec field, by the field's first path element.
        "fix-name": {"en": "use a name such as 'daily-delay-report'", "ja": "'daily-delay-report' のような名前を使ってください"},
        "fix-owner": {
            "en": "set the JupyterHub user name that owns the job",
            "ja": "ジョブを所有する JupyterHub のユーザー名を設定してください",
        },
        "fix-notebook": {
            "en": "promote the notebook again with 'nbplatform promote' to write a valid snapshot reference",
            "ja": "'nbplatform promote' でノートブックをもう一度昇格し、有効なスナップショット参照を書き込んでください",
        },
        "fix-schedule": {
            "en": "use five fields such as '0 7 * * *' (minute hour day-of-month month day-of-week)",
            "ja": "'0 7 * * *' のように 5 つのフィールド（分 時 日 月 曜日）で指定してください",
        },
        "fix-timezone": {
            "en": "use an IANA name such as 'Asia/Tokyo' or 'UTC'",
            "ja": "'Asia/Tokyo' や 'UTC' のような IANA の名前を使ってください",
        },
        "fix-parameters": {
            "en": "rename the parameter; the notebook receives logical_date and run_id from the runner",
            "ja": "パラメーターの名前を変えてください。logical_date と run_id は実行時にランナーがノートブックに渡します",
        },
        "fix-timeout_seconds": {
            "en": "give the deadline for the whole run in seconds, for example 3600",
            "ja": "実行全体の制限時間を秒で指定してください（例: 3600）",
        },
        "fix-retries": {
            "en": "set retries.max (0-10) and retries.backoff_seconds (seconds)",
            "ja": "retries.max（0～10）と retries.backoff_seconds（秒）を設定してください",
        },
        "fix-overlap": {"en": "use 'forbid' or 'allow'", "ja": "'forbid' か 'allow' を指定してください"},
        "fix-catchup": {
            "en": "set catchup.policy to none, latest or all, and catchup.max_runs to 1-1000",
            "ja": "catchup.policy を none、latest、all のいずれかに、catchup.max_runs を 1～1000 に設定してください",
        },
        "fix-output": {
            "en": "set output.location to an fsspec URL such as gs://bucket/runs, or remove it",
            "ja": "output.location を gs://bucket/runs のような fsspec URL にするか、削除してください",
        },
        "fix-alerts": {
            "en": "set alerts.webhook to an http(s) URL or null, and alerts.sentry to true or false",
            "ja": "alerts.webhook を http(s) の URL か null に、alerts.sentry を true か false に設定してください",
        },
        "fix-paused": {"en": "use true or false", "ja": "true か false を指定してください"},
        "fix-other": {"en": "see docs/jobs.md for the fields", "ja": "フィールドについては docs/jobs.md を参照してください"},
        "fix-extra-field": {
            "en": "remove the field or correct its spelling",
            "ja": "フィールドを削除するか、綴りを修正してください",
        },
    }
)

message = CATALOG.message
