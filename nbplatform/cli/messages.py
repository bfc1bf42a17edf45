"""Japanese and English texts of the CLI's own messages (``LANG`` picks one)."""

from __future__ import annotations

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
    }
)


def message(key: str, **fields: object) -> str:
    """Return the CLI message ``key`` in the locale that ``LANG`` selects."""
    return CATALOG.get(key, locale_from_env(), **fields)
