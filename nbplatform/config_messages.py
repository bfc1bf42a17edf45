"""English and Japanese texts of the settings errors (``config.py``) and of the local wiring checks.

``nbplatform up`` shows these in the ``LANG`` language. JupyterHub's own log
gets the English ``str()`` of the error.
"""

from __future__ import annotations

from .i18n import Catalog

CATALOG = Catalog(
    {
        "invalid-mode": {
            "en": "NBPLATFORM_MODE={value!r} is invalid: use 'local' or 'gke'.",
            "ja": "NBPLATFORM_MODE={value!r} は無効です。'local' か 'gke' を指定してください。",
        },
        "data-dir-create-failed": {
            "en": "Cannot create the data directory {path}: {reason}. Set NBPLATFORM_DATA_DIR to a writable directory.",
            "ja": "データディレクトリ {path} を作成できません: {reason}。NBPLATFORM_DATA_DIR に書き込み可能なディレクトリを設定してください。",
        },
        "data-dir-not-writable": {
            "en": "The data directory {path} is not writable. Fix its permissions or set NBPLATFORM_DATA_DIR "
            "to a writable directory; nothing in it was changed.",
            "ja": "データディレクトリ {path} に書き込めません。権限を修正するか、NBPLATFORM_DATA_DIR に書き込み可能なディレクトリを"
            "設定してください。ディレクトリの中身は変更していません。",
        },
        "invalid-port": {
            "en": "{variable}={value!r} is not a port number: use an integer from 1 to 65535, such as 8000.",
            "ja": "{variable}={value!r} はポート番号ではありません。8000 のように 1～65535 の整数を指定してください。",
        },
        "non-loopback-bind": {
            "en": "Refusing to listen on {ip!r} with the local password authenticator: it is meant "
            "for one machine. Use 127.0.0.1, or set NBPLATFORM_ALLOW_REMOTE=1 (nbplatform up "
            "--allow-remote) if you really want other hosts to reach this hub.",
            "ja": "ローカルのパスワード認証は 1 台のマシンで使うためのものなので、{ip!r} では待ち受けません。"
            "127.0.0.1 を使うか、他のホストからこのハブに接続させる必要がある場合に限り NBPLATFORM_ALLOW_REMOTE=1"
            "（nbplatform up --allow-remote）を設定してください。",
        },
        "node-missing": {
            "en": "Node.js was not found on PATH, and configurable-http-proxy needs it. "
            "Install Node.js 20 or newer, then run 'make up' again.",
            "ja": "PATH に Node.js が見つかりません。configurable-http-proxy には Node.js が必要です。"
            "Node.js 20 以降をインストールしてから、もう一度 'make up' を実行してください。",
        },
        "proxy-missing": {
            "en": "configurable-http-proxy is not installed ({path} is missing). "
            "Run 'make up' (it runs 'npm ci' in the repository) or 'npm ci' yourself.",
            "ja": "configurable-http-proxy がインストールされていません（{path} がありません）。"
            "'make up'（リポジトリで 'npm ci' を実行します）を実行するか、'npm ci' を直接実行してください。",
        },
    }
)

message = CATALOG.message
