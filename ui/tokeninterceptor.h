#pragma once

#include <QUrl>
#include <QWebEngineUrlRequestInterceptor>

// Adds "Authorization: Bearer <token>" to requests for the server's origin, and to no other, so
// the embedded page is authenticated without the token ever appearing in a URL or the history.
class TokenInterceptor final : public QWebEngineUrlRequestInterceptor
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(TokenInterceptor)

public:
    explicit TokenInterceptor(QObject *parent = nullptr);

    void setOrigin(const QUrl &origin, const QString &token);
    static bool sameOrigin(const QUrl &a, const QUrl &b);

    void interceptRequest(QWebEngineUrlRequestInfo &info) override;

private:
    QUrl m_origin;
    QByteArray m_header;
};
