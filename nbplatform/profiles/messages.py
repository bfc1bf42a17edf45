"""English and Japanese texts of the profile validation messages.

Each :class:`~nbplatform.profiles.validation.Issue` carries one of these as a
:class:`~nbplatform.i18n.Message`, so ``nbplatform profiles validate`` prints
it in the ``LANG`` language while the hub log keeps the English text. Field
names, YAML keys and values stay as written in the file in both languages.
"""

from __future__ import annotations

from ..i18n import Catalog

CATALOG = Catalog(
    {
        # Parts that other messages are built from -------------------------------
        "kind-null": {"en": "nothing (null)", "ja": "値なし（null）"},
        "kind-boolean": {"en": "a boolean", "ja": "真偽値"},
        "kind-number": {"en": "a number", "ja": "数値"},
        "kind-text": {"en": "a text", "ja": "テキスト"},
        "kind-list": {"en": "a list", "ja": "リスト"},
        "kind-mapping": {"en": "a mapping", "ja": "マッピング"},
        "described-value": {"en": "{kind} {value}", "ja": "{kind} {value}"},
        "unit-servers": {"en": " (servers)", "ja": "（サーバー数）"},
        "unit-seconds": {"en": " (seconds)", "ja": "（秒）"},
        "unit-per-hour": {"en": " (per hour)", "ja": "（1 時間あたり）"},
        "unit-cores": {"en": " (CPU cores)", "ja": "（CPU コア数）"},
        "unit-workers": {"en": " (workers)", "ja": "（ワーカー数）"},
        "unit-bytes": {"en": " (bytes)", "ja": "（バイト）"},
        "what-profile": {"en": "profile", "ja": "プロファイル"},
        "what-dask": {"en": "dask setting", "ja": "dask 設定"},
        "what-bigquery": {"en": "bigquery setting", "ja": "bigquery 設定"},
        "what-kubespawner": {"en": "KubeSpawner setting", "ja": "KubeSpawner 設定"},
        "what-option": {"en": "profile option", "ja": "プロファイルオプション"},
        "what-choice": {"en": "choice", "ja": "選択肢"},
        "what-unlisted": {"en": "unlisted_choice setting", "ja": "unlisted_choice 設定"},
        "what-slug": {"en": "slug", "ja": "slug"},
        "what-option-name": {"en": "option name", "ja": "オプション名"},
        "what-choice-key": {"en": "choice key", "ja": "選択肢のキー"},
        "memory-rule": {
            "en": "KubeSpawner takes a byte count or a number with one of K, M, G, T (powers of 1024)",
            "ja": "KubeSpawner に指定できるのは、バイト数か、K、M、G、T（1024 の累乗）のいずれかを付けた数値です",
        },
        "memory-fix-near": {"en": "Write {value!r}: {rule}.", "ja": "{value!r} と書いてください。{rule}。"},
        "memory-fix": {"en": "{rule}, for example '16G'.", "ja": "{rule}（例: '16G'）。"},
        # Types -----------------------------------------------------------------
        "expected-mapping": {
            "en": "expected a mapping of keys to values, got {got}.",
            "ja": "キーと値のマッピングが必要ですが、{got} が指定されています。",
        },
        "empty-text": {
            "en": "is empty. Give it a non-empty text.",
            "ja": "空です。空でないテキストを指定してください。",
        },
        "expected-text": {
            "en": "expected a text, got {got}. Put the value in quotes.",
            "ja": "テキストが必要ですが、{got} が指定されています。値を引用符で囲んでください。",
        },
        "expected-boolean": {
            "en": "expected true or false, got {got}.",
            "ja": "true か false が必要ですが、{got} が指定されています。",
        },
        "expected-integer": {
            "en": "expected a whole number{unit}, got {got}.",
            "ja": "整数{unit}が必要ですが、{got} が指定されています。",
        },
        "too-small": {
            "en": "{value!r} is too small. Use {minimum} or more{unit}.",
            "ja": "{value!r} は小さすぎます。{minimum} 以上の値{unit}を指定してください。",
        },
        "expected-number": {
            "en": "expected a number{unit}, got {got}.",
            "ja": "数値{unit}が必要ですが、{got} が指定されています。",
        },
        "not-positive": {
            "en": "{value!r} must be greater than 0{unit}.",
            "ja": "{value!r} は無効です。0 より大きい値{unit}を指定してください。",
        },
        "negative": {
            "en": "{value!r} is negative. Use 0 or more{unit}.",
            "ja": "{value!r} は負の値です。0 以上の値{unit}を指定してください。",
        },
        "unknown-key-suggest": {
            "en": "unknown {what} key {key!r}. Did you mean {match!r}?",
            "ja": "{what}に {key!r} というキーはありません。{match!r} の誤りではありませんか？",
        },
        "unknown-key": {
            "en": "unknown {what} key {key!r}. Known keys: {known}.",
            "ja": "{what}に {key!r} というキーはありません。使用できるキー: {known}。",
        },
        "invalid-slug": {
            "en": "invalid {what} {value!r}. Use 1 to 63 letters, digits, '-', '_' or '.', "
            "starting and ending with a letter or digit, without '--'.",
            "ja": "{what} {value!r} が無効です。英字、数字、'-'、'_'、'.' を 1～63 文字で使い、"
            "先頭と末尾は英字か数字にして、'--' を含めないでください。",
        },
        # Profile fields --------------------------------------------------------
        "display-name-missing": {
            "en": "is missing. Add the name users see, for example display_name: \"Small (1 CPU)\".",
            "ja": "指定されていません。ユーザーに表示する名前を追加してください（例: display_name: \"Small (1 CPU)\"）。",
        },
        "groups-not-list": {
            "en": "expected a list of group names, got {got}. Write groups: [ml, analysts].",
            "ja": "グループ名のリストが必要ですが、{got} が指定されています。groups: [ml, analysts] のように書いてください。",
        },
        "group-not-text": {
            "en": "group {group!r} is not a text. Write the JupyterHub group name in quotes, for example \"{group}\".",
            "ja": "グループ {group!r} がテキストではありません。JupyterHub のグループ名を引用符で囲んで書いてください（例: \"{group}\"）。",
        },
        "invalid-memory": {"en": "invalid memory size {value!r}. {fix}", "ja": "メモリサイズ {value!r} が無効です。{fix}"},
        "invalid-cpu": {
            "en": "invalid CPU count {value!r}. Write a number of cores such as 2 or 0.5 (KubeSpawner does not take '500m').",
            "ja": "CPU 数 {value!r} が無効です。2 や 0.5 のようにコア数を数値で書いてください（KubeSpawner は '500m' を受け付けません）。",
        },
        "invalid-gpu-count": {
            "en": "invalid GPU count {value!r}. Write a whole number of GPUs in quotes, for example \"1\".",
            "ja": "GPU 数 {value!r} が無効です。GPU の数を整数で、引用符で囲んで書いてください（例: \"1\"）。",
        },
        "invalid-quantity": {
            "en": "invalid quantity {value!r}. Write a Kubernetes quantity in quotes, for example \"1\".",
            "ja": "数量 {value!r} が無効です。Kubernetes の数量を引用符で囲んで書いてください（例: \"1\"）。",
        },
        "expected-text-value": {
            "en": "expected a text value, got {got}. Put the value in quotes.",
            "ja": "テキストの値が必要ですが、{got} が指定されています。値を引用符で囲んでください。",
        },
        "tolerations-not-list": {
            "en": "expected a list of tolerations, got {got}.",
            "ja": "toleration のリストが必要ですが、{got} が指定されています。",
        },
        "toleration-not-mapping": {
            "en": "expected a toleration mapping (key, operator, value, effect), got {got}.",
            "ja": "toleration のマッピング（key、operator、value、effect）が必要ですが、{got} が指定されています。",
        },
        # Profile options and choices ---------------------------------------------
        "option-label-missing": {
            "en": "is missing. Add the label users see beside the drop-down.",
            "ja": "指定されていません。ドロップダウンの横に表示するラベルを追加してください。",
        },
        "option-no-choices": {
            "en": "the option has no choices. Add at least one entry under choices, or remove the option.",
            "ja": "このオプションには選択肢がありません。choices に 1 つ以上の項目を追加するか、オプションを削除してください。",
        },
        "choice-label-missing": {
            "en": "is missing. Add the text users see in the drop-down.",
            "ja": "指定されていません。ドロップダウンに表示するテキストを追加してください。",
        },
        "several-default-choices": {
            "en": "more than one choice is the default ({defaults}). Keep default: true on one.",
            "ja": "既定の選択肢が複数あります（{defaults}）。default: true は 1 つだけにしてください。",
        },
        "regex-not-text": {
            "en": "expected a regular expression in quotes, got {got}.",
            "ja": "引用符で囲んだ正規表現が必要ですが、{got} が指定されています。",
        },
        "invalid-regex": {
            "en": "invalid regular expression {regex!r}: {error}. Fix the pattern, for example '^jupyter/.+:.+$'.",
            "ja": "正規表現 {regex!r} が無効です（{error}）。パターンを修正してください（例: '^jupyter/.+:.+$'）。",
        },
        # Rules across a profile and its choices -----------------------------------
        "with-choice": {"en": "with this choice, {field}: {message}", "ja": "この選択肢では {field}: {message}"},
        "guarantee-above-limit": {
            "en": "guarantee {guarantee!r} is above the limit {limit_field} {limit!r}. "
            "Lower {guarantee_field} or raise {limit_field}.",
            "ja": "保証値 {guarantee!r} が上限 {limit_field} {limit!r} を超えています。"
            "{guarantee_field} を下げるか、{limit_field} を上げてください。",
        },
        "gpu-no-node-label": {
            "en": "requests {gpus} {resource} but node_selector has no GPU node label ({labels}). On GKE add "
            "node_selector: {{cloud.google.com/gke-accelerator: nvidia-tesla-t4}} (your GPU type).",
            "ja": "{resource} を {gpus} 個要求していますが、node_selector に GPU ノードのラベル（{labels}）がありません。"
            "GKE では node_selector: {{cloud.google.com/gke-accelerator: nvidia-tesla-t4}}（お使いの GPU の種類）を追加してください。",
        },
        "gpu-no-toleration": {
            "en": "requests {gpus} {resource} but no toleration has key {resource!r}, so the pod "
            "cannot run on tainted GPU nodes. Add tolerations: [{{key: nvidia.com/gpu, operator: Exists, "
            "effect: NoSchedule}}].",
            "ja": "{resource} を {gpus} 個要求していますが、キーが {resource!r} の toleration がないため、"
            "taint の付いた GPU ノードで Pod を実行できません。"
            "tolerations: [{{key: nvidia.com/gpu, operator: Exists, effect: NoSchedule}}] を追加してください。",
        },
        "gpu-guarantee-differs": {
            "en": "{resource} guarantee {guarantee} differs from the limit {limit}; Kubernetes requires "
            "them to be equal. Set only extra_resource_limits.",
            "ja": "{resource} の保証値 {guarantee} が上限 {limit} と異なります。Kubernetes では両者が等しい必要があります。"
            "extra_resource_limits だけを設定してください。",
        },
        # Entries and files ---------------------------------------------------------
        "entry-not-mapping": {
            "en": "expected a mapping with display_name, slug and the other profile keys, got {got}.",
            "ja": "display_name、slug などのプロファイルのキーを持つマッピングが必要ですが、{got} が指定されています。",
        },
        "duplicate-slug": {
            "en": "slug {slug!r} is already used by the profile at {file}:{line}. Give each profile a unique slug.",
            "ja": "slug {slug!r} は {file}:{line} のプロファイルで既に使われています。プロファイルごとに異なる slug を付けてください。",
        },
        "several-default-profiles": {
            "en": "more than one profile is the default: {slug!r} at {file}:{line} is too. "
            "Keep default: true on exactly one profile.",
            "ja": "既定のプロファイルが複数あります（{file}:{line} の {slug!r} も既定です）。"
            "default: true はプロファイル 1 つだけに付けてください。",
        },
        "not-a-list": {
            "en": "expected a list of profiles (or 'profiles:' holding one), got a {type}. "
            "Start each profile with '- display_name: ...'.",
            "ja": "プロファイルのリスト（またはそれを持つ 'profiles:'）が必要ですが、{type} が指定されています。"
            "各プロファイルは '- display_name: ...' で始めてください。",
        },
        "invalid-yaml": {
            "en": "invalid YAML: {problem}. Fix the syntax at this line.",
            "ja": "YAML が無効です（{problem}）。この行の構文を修正してください。",
        },
        "yaml-too-deep": {
            "en": "invalid YAML: nested too deeply. Flatten the file.",
            "ja": "YAML が無効です。入れ子が深すぎるため、ファイルの構造を浅くしてください。",
        },
        "duplicate-key": {
            "en": "key is written twice in one mapping; YAML keeps only the last. Remove one.",
            "ja": "1 つのマッピングに同じキーが 2 回書かれています。YAML は後の値だけを使うため、どちらかを削除してください。",
        },
        "unreadable-file": {
            "en": "cannot read the file ({error}). Fix its permissions or encoding (UTF-8), or remove it.",
            "ja": "ファイルを読み込めません（{error}）。権限またはエンコーディング（UTF-8）を修正するか、ファイルを削除してください。",
        },
        "no-profiles": {
            "en": "no profiles found. Add a .yaml file with at least one profile.",
            "ja": "プロファイルが見つかりません。プロファイルを 1 つ以上含む .yaml ファイルを追加してください。",
        },
        "directory-missing": {
            "en": "Profile directory {directory} does not exist. Create it or set NBPLATFORM_PROFILES_DIR.",
            "ja": "プロファイルディレクトリ {directory} がありません。作成するか、NBPLATFORM_PROFILES_DIR を設定してください。",
        },
    }
)

message = CATALOG.message
