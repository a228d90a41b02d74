#pragma once

#include <QByteArray>
#include <QHash>
#include <QString>

class QHttpServerRequest;
class QTcpSocket;

// What a route handler gets: the parsed request, its connection, the values captured from the
// path pattern ("{id}") and what the server's front door already established about it.
struct RequestContext
{
    const QHttpServerRequest &request;
    QTcpSocket *socket = nullptr;
    QString path;
    QHash<QString, QString> args;
    QByteArray host; // the validated Host header ("127.0.0.1:8421")
    QByteArray sessionCookie; // the session cookie value when it authenticated the request

    QString arg(const QString &name) const { return args.value(name); }
};
