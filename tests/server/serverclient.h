#pragma once

#include <QByteArray>
#include <QHostAddress>
#include <QJsonDocument>
#include <QJsonObject>
#include <QNetworkReply>
#include <QTcpSocket>
#include <QTest>
#include <QWebSocket>

#include <functional>

// What the server tests need from a client, shared by the server's test suites: one HTTP
// answer read off a QNetworkReply, and a raw exchange for bytes QNetworkAccessManager won't send.
namespace ServerClient {

struct Answer
{
    int status = 0;
    QByteArray body;
    QJsonObject json;
    QList<QNetworkReply::RawHeaderPair> headers;

    QByteArray header(const QByteArray &name) const
    {
        for (const auto &[k, v] : headers) {
            if (k.compare(name, Qt::CaseInsensitive) == 0)
                return v;
        }
        return {};
    }
    bool hasHeader(const QByteArray &name) const
    {
        for (const auto &pair : headers) {
            if (pair.first.compare(name, Qt::CaseInsensitive) == 0)
                return true;
        }
        return false;
    }
    QString code() const
    {
        return json.value(QLatin1String("error"))
            .toObject()
            .value(QLatin1String("code"))
            .toString();
    }
};

// Waits for the reply (status 0 after timeoutMs) and takes it apart; deletes the reply.
inline Answer finish(QNetworkReply *reply, int timeoutMs)
{
    Answer a;
    if (!QTest::qWaitFor([reply] { return reply->isFinished(); }, timeoutMs)) {
        qWarning() << "timeout" << reply->url();
        reply->deleteLater();
        return a;
    }
    a.status = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
    a.body = reply->readAll();
    a.json = QJsonDocument::fromJson(a.body).object();
    a.headers = reply->rawHeaderPairs();
    reply->deleteLater();
    return a;
}

// Sends raw bytes to 127.0.0.1:port and returns what came back until `done` says so, the
// connection closed, or timeoutMs passed.
inline QByteArray exchange(quint16 port, const QByteArray &request, int timeoutMs,
                           const std::function<bool(const QByteArray &)> &done = {})
{
    QTcpSocket socket;
    socket.connectToHost(QHostAddress::LocalHost, port);
    if (!socket.waitForConnected(3000))
        return {};
    socket.write(request);
    QByteArray data;
    (void)QTest::qWaitFor(
        [&] {
            data += socket.readAll();
            return socket.state() != QAbstractSocket::ConnectedState || (done && done(data));
        },
        timeoutMs);
    data += socket.readAll();
    return data;
}

// Opens `ws` on /api/v1/ws of 127.0.0.1:port with the token; every message it receives is
// appended to `messages` (parsed) from now on. The caller waits for the first (the snapshot).
inline void openPushSocket(QWebSocket &ws, quint16 port, const QString &token,
                           QList<QJsonObject> &messages)
{
    QObject::connect(&ws, &QWebSocket::textMessageReceived, &ws, [&messages](const QString &text) {
        messages.append(QJsonDocument::fromJson(text.toUtf8()).object());
    });
    QNetworkRequest request(QUrl(QStringLiteral("ws://127.0.0.1:%1/api/v1/ws").arg(port)));
    request.setRawHeader("Authorization", "Bearer " + token.toLatin1());
    ws.open(request);
}

} // namespace ServerClient
