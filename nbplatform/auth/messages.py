"""English and Japanese texts of the IAP sign-in and sign-out pages.

Rejection reasons are the ``reason`` codes of :class:`TokenError` and the
key-set errors. Each text states what failed and what to do next, and the
hub log records the technical detail. The ``users-file-*`` texts are the
errors about the local users file, which the ``nbplatform users`` command
shows in the ``LANG`` language.
"""

from __future__ import annotations

from ..i18n import Catalog

_ADMIN_EN = "If this keeps happening, send the time of this page to your hub administrator."
_ADMIN_JA = "繰り返し表示される場合は、この画面の時刻をハブの管理者に伝えてください。"

MESSAGES = Catalog(
    {
        "title-401": {"en": "Sign-in failed", "ja": "サインインできませんでした"},
        "title-403": {"en": "Access denied", "ja": "アクセスが拒否されました"},
        "title-503": {"en": "Sign-in is unavailable", "ja": "サインインを利用できません"},
        "title-logout": {"en": "Signed out of the hub", "ja": "ハブからサインアウトしました"},
        "missing-header": {
            "en": "This request did not come through Identity-Aware Proxy: the signed IAP header is missing. "
            "Open the hub at its public address. " + _ADMIN_EN,
            "ja": "このリクエストは Identity-Aware Proxy を経由していません(署名付き IAP ヘッダーがありません)。"
            "ハブの公開アドレスから開いてください。" + _ADMIN_JA,
        },
        "unsigned-header-only": {
            "en": "Only the unsigned IAP identity headers were sent. The hub trusts only the signed "
            "X-Goog-IAP-JWT-Assertion header, so this request cannot sign in. Open the hub at its public address.",
            "ja": "署名のない IAP の ID ヘッダーだけが送られました。ハブは署名付きの X-Goog-IAP-JWT-Assertion "
            "ヘッダーのみを信頼するため、このリクエストではサインインできません。ハブの公開アドレスから開いてください。",
        },
        "header-repeated": {
            "en": "The IAP header was sent more than once, so the request was rejected. " + _ADMIN_EN,
            "ja": "IAP ヘッダーが複数回送られたため、リクエストを拒否しました。" + _ADMIN_JA,
        },
        "header-too-long": {
            "en": "The IAP header is longer than the hub accepts, so it was not read. " + _ADMIN_EN,
            "ja": "IAP ヘッダーが許容される長さを超えているため、読み取りませんでした。" + _ADMIN_JA,
        },
        "malformed": {
            "en": "The IAP token is not a valid signed token. Reload the page to get a new one. " + _ADMIN_EN,
            "ja": "IAP トークンが正しい署名付きトークンではありません。ページを再読み込みしてください。" + _ADMIN_JA,
        },
        "bad-algorithm": {
            "en": "The IAP token uses a signing algorithm other than ES256, which IAP always uses. The token was rejected.",
            "ja": "IAP トークンが ES256 以外の署名アルゴリズムを使っています。IAP は常に ES256 を使うため、拒否しました。",
        },
        "missing-kid": {
            "en": "The IAP token does not name its signing key (kid), so it cannot be verified.",
            "ja": "IAP トークンに署名鍵の ID (kid) がないため、検証できません。",
        },
        "unknown-kid": {
            "en": "The IAP token was signed with a key that IAP does not publish. Reload the page. " + _ADMIN_EN,
            "ja": "IAP トークンが、IAP の公開していない鍵で署名されています。ページを再読み込みしてください。" + _ADMIN_JA,
        },
        "bad-signature": {
            "en": "The IAP token signature is invalid, so the token was rejected.",
            "ja": "IAP トークンの署名が無効なため、拒否しました。",
        },
        "expired": {
            "en": "The IAP token has expired. Reload the page to get a new one. If your computer's clock is wrong, correct it.",
            "ja": "IAP トークンの有効期限が切れています。ページを再読み込みしてください。コンピューターの時計がずれている場合は直してください。",
        },
        "issued-in-future": {
            "en": "The IAP token was issued in the future, which means a clock is wrong. " + _ADMIN_EN,
            "ja": "IAP トークンの発行時刻が未来になっています(時計のずれ)。" + _ADMIN_JA,
        },
        "lifetime-too-long": {
            "en": "The IAP token is valid for longer than IAP issues tokens, so it was rejected.",
            "ja": "IAP トークンの有効期間が IAP の発行する期間より長いため、拒否しました。",
        },
        "bad-audience": {
            "en": "The IAP token was issued for a different application (audience), so it was rejected. " + _ADMIN_EN,
            "ja": "IAP トークンが別のアプリケーション(audience)向けに発行されているため、拒否しました。" + _ADMIN_JA,
        },
        "bad-issuer": {
            "en": "The IAP token was not issued by Identity-Aware Proxy, so it was rejected.",
            "ja": "IAP トークンの発行者が Identity-Aware Proxy ではないため、拒否しました。",
        },
        "missing-email": {
            "en": "The IAP token has no email address, so the hub cannot tell who you are.",
            "ja": "IAP トークンにメールアドレスがないため、ユーザーを特定できません。",
        },
        "invalid-email": {
            "en": "The email address in the IAP token cannot be used as a hub username. " + _ADMIN_EN,
            "ja": "IAP トークンのメールアドレスはハブのユーザー名に使えません。" + _ADMIN_JA,
        },
        "plus-address": {
            "en": "This hub does not accept email addresses with a '+' tag. Sign in with your main Google account.",
            "ja": "このハブは「+」付きのメールアドレスを受け付けません。メインの Google アカウントでサインインしてください。",
        },
        "missing-claim": {
            "en": "The IAP token lacks a required claim, so it was rejected. " + _ADMIN_EN,
            "ja": "IAP トークンに必要な項目がないため、拒否しました。" + _ADMIN_JA,
        },
        "missing-hd": {
            "en": "Your Google account does not belong to an organization (no hosted domain), "
            "and this hub accepts only accounts of {domains}.",
            "ja": "この Google アカウントは組織に属していません(ホストドメインがありません)。"
            "このハブは {domains} のアカウントのみ受け付けます。",
        },
        "domain-not-allowed": {
            "en": "Your Google account belongs to {domain}, and this hub accepts only accounts of {domains}.",
            "ja": "この Google アカウントは {domain} に属していますが、このハブは {domains} のアカウントのみ受け付けます。",
        },
        "not-allowed": {
            "en": "You are signed in to Google as {email}, but that account is not allowed on this hub. "
            "Ask your hub administrator for access, or sign out of Google and use another account.",
            "ja": "Google に {email} としてサインインしていますが、このアカウントはこのハブを利用できません。"
            "管理者にアクセスを依頼するか、Google からサインアウトして別のアカウントを使ってください。",
        },
        "key-set-unavailable": {
            "en": "The hub cannot fetch IAP's signing keys right now, so it cannot verify your sign-in. "
            "Try again in a minute. " + _ADMIN_EN,
            "ja": "ハブが IAP の署名鍵を取得できないため、サインインを確認できません。"
            "1 分ほどしてから再試行してください。" + _ADMIN_JA,
        },
        "logout-body": {
            "en": "You have signed out of the hub. Your Google session still exists, so opening the hub "
            "again signs you back in with the same account.",
            "ja": "ハブからサインアウトしました。Google のセッションは残っているため、"
            "もう一度ハブを開くと同じアカウントで再びサインインします。",
        },
        "logout-clear-iap": {
            "en": "Clear the IAP sign-in cookie (to switch accounts)",
            "ja": "IAP のサインイン Cookie を削除する(アカウントを切り替える場合)",
        },
        "logout-google": {
            "en": "To end the Google session itself, sign out of Google.",
            "ja": "Google のセッション自体を終了するには、Google からサインアウトしてください。",
        },
        "back-to-hub": {"en": "Back to the hub", "ja": "ハブに戻る"},
        "users-file-missing": {
            "en": "Users file {path} not found. Run 'nbplatform users add NAME --admin' to create it.",
            "ja": "ユーザーファイル {path} が見つかりません。'nbplatform users add NAME --admin' を実行して作成してください。",
        },
        "users-file-unreadable": {
            "en": "Cannot read users file {path}: {error}",
            "ja": "ユーザーファイル {path} を読み込めません: {error}",
        },
        "users-file-not-mapping": {
            "en": "{path}: expected a mapping under 'users:'.",
            "ja": "{path}: 'users:' の下にはマッピングが必要です。",
        },
        "users-file-no-hash": {
            "en": "{path}: user {name!r} needs a 'password_hash' (set one with 'nbplatform users passwd {name}').",
            "ja": "{path}: ユーザー {name!r} に 'password_hash' がありません（'nbplatform users passwd {name}' で設定してください）。",
        },
        "users-file-bad-groups": {
            "en": "{path}: user {name!r}: 'groups' must be a list of group names.",
            "ja": "{path}: ユーザー {name!r}: 'groups' はグループ名のリストにしてください。",
        },
        "reference": {"en": "Reason code", "ja": "理由コード"},
    }
)
