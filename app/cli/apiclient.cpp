#include "apiclient.h"

#include <QCoreApplication>
#include <QEventLoop>
#include <QJsonArray>
#include <QJsonDocument>
#include <QNetworkAccessManager>
#include <QNetworkReply>

using namespace Qt::StringLiterals;

QString ApiClient::Answer::errorMessage() const
{
    if (status == 0)
        return networkError;
    const QJsonObject error = json.toObject().value(u"error"_s).toObject();
    QString message = error.value(u"message"_s).toString();
    if (message.isEmpty())
        message = QCoreApplication::translate("ApiClient", "HTTP status %1.").arg(status);
    // Name each wrong field: "params.steps: Must be at least 1."
    for (const QJsonValue &f : error.value(u"fields"_s).toArray()) {
        const QJsonObject field = f.toObject();
        message += u"\n  "_s + field.value(u"field"_s).toString() + u": "_s
            + field.value(u"message"_s).toString();
    }
    return message;
}

ApiClient::ApiClient(Endpoint endpoint)
    : m_endpoint(std::move(endpoint)), m_network(std::make_unique<QNetworkAccessManager>())
{
}

ApiClient::~ApiClient() = default;

QNetworkRequest ApiClient::request(const QString &pathAndQuery) const
{
    QNetworkRequest request(m_endpoint.url.resolved(QUrl(pathAndQuery)));
    request.setRawHeader("Authorization", "Bearer " + m_endpoint.token);
    request.setAttribute(QNetworkRequest::RedirectPolicyAttribute,
                         QNetworkRequest::ManualRedirectPolicy);
    return request;
}

QNetworkReply *ApiClient::send(const QByteArray &verb, const QString &pathAndQuery,
                               const std::optional<QJsonObject> &body, const QByteArray &token)
{
    QNetworkRequest req = request(pathAndQuery);
    if (!token.isEmpty())
        req.setRawHeader("Authorization", "Bearer " + token);
    QByteArray payload;
    if (body) {
        req.setHeader(QNetworkRequest::ContentTypeHeader, "application/json"_ba);
        payload = QJsonDocument(*body).toJson(QJsonDocument::Compact);
    }
    return m_network->sendCustomRequest(req, verb, payload);
}

ApiClient::Answer ApiClient::answer(QNetworkReply *reply) const
{
    Answer answer;
    answer.status = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
    const QByteArray bytes = reply->readAll();
    if (answer.status == 0) {
        answer.networkError = QCoreApplication::translate("ApiClient",
                                                          "Cannot reach Headway at "
                                                          "%1: %2")
                                  .arg(m_endpoint.url.toString(), reply->errorString());
    }
    const QJsonDocument doc = QJsonDocument::fromJson(bytes);
    answer.json = doc.isObject() ? QJsonValue(doc.object()) : QJsonValue(doc.array());
    return answer;
}

ApiClient::Answer ApiClient::call(const QByteArray &verb, const QString &pathAndQuery,
                                  const std::optional<QJsonObject> &body)
{
    QNetworkReply *reply = send(verb, pathAndQuery, body);
    QEventLoop loop;
    QObject::connect(reply, &QNetworkReply::finished, &loop, &QEventLoop::quit);
    loop.exec();
    const Answer result = answer(reply);
    reply->deleteLater();
    return result;
}
