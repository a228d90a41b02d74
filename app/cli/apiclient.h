#pragma once

#include <QByteArray>
#include <QJsonObject>
#include <QJsonValue>
#include <QNetworkRequest>
#include <QString>
#include <QUrl>

#include <memory>
#include <optional>

class QNetworkAccessManager;
class QNetworkReply;

// Where a Headway answers and the token it takes.
struct Endpoint
{
    QUrl url; // http://127.0.0.1:8421/
    QByteArray token;
    QString dataDir; // where it was found (empty with --url)
};

// Calls to Headway's JSON API: blocking (a command-line client does one thing after another),
// or started with send() for a client that must keep its event loop going.
class ApiClient final
{
public:
    struct Answer
    {
        int status = 0; // 0: no answer (unreachable)
        QJsonValue json;
        QString networkError;

        QJsonObject object() const { return json.toObject(); }
        // The API's {"error": {"message"}}, or the transport's error.
        QString errorMessage() const;
    };

    explicit ApiClient(Endpoint endpoint);
    ~ApiClient();

    Answer call(const QByteArray &verb, const QString &pathAndQuery,
                const std::optional<QJsonObject> &body = std::nullopt);
    // Starts the call and returns at once; read the reply with answer() once it finished.
    // `token` replaces the API token (an external task's report token).
    QNetworkReply *send(const QByteArray &verb, const QString &pathAndQuery,
                        const std::optional<QJsonObject> &body = std::nullopt,
                        const QByteArray &token = {});
    Answer answer(QNetworkReply *reply) const;
    // A request to `pathAndQuery` with the token, for other transports (the WebSocket).
    QNetworkRequest request(const QString &pathAndQuery) const;
    const Endpoint &endpoint() const { return m_endpoint; }

private:
    Endpoint m_endpoint;
    std::unique_ptr<QNetworkAccessManager> m_network;
};
