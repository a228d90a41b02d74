#pragma once

#include <QByteArray>
#include <QByteArrayView>
#include <QHash>
#include <QList>
#include <QString>

#include <arpa/inet.h>
#include <cerrno>
#include <cstring>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/socket.h>
#include <unistd.h>

// A lean HTTP/1.1 keep-alive client on one blocking POSIX socket: the benchmark measures the
// server, and QNetworkAccessManager's upload path (16 KiB pieces through a byte device) capped
// the client at ~120 MB/s here, a blocking QTcpSocket (copying into its write buffer) at ~300.
class HttpConnection final
{
public:
    struct Error
    {
        QString message;
    };
    struct Answer
    {
        int status = 0;
        QHash<QByteArray, QByteArray> headers; // lower-case names
        QByteArray body;
    };

    HttpConnection(quint16 port, int timeoutMs)
        : m_host("127.0.0.1:" + QByteArray::number(port)), m_timeoutMs(timeoutMs)
    {
        m_fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
        sockaddr_in addr {};
        addr.sin_family = AF_INET;
        addr.sin_port = htons(port);
        addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
        if (m_fd < 0
            || ::connect(m_fd, reinterpret_cast<const sockaddr *>(&addr), sizeof addr) != 0)
            throw Error { QStringLiteral("cannot connect to 127.0.0.1:%1: %2")
                              .arg(port)
                              .arg(QString::fromLocal8Bit(strerror(errno))) };
        const int one = 1;
        ::setsockopt(m_fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
        const timeval tv { m_timeoutMs / 1000, (m_timeoutMs % 1000) * 1000 };
        ::setsockopt(m_fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
        ::setsockopt(m_fd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof tv);
    }
    ~HttpConnection()
    {
        if (m_fd >= 0)
            ::close(m_fd);
    }
    Q_DISABLE_COPY_MOVE(HttpConnection)

    Answer request(const QByteArray &verb, const QByteArray &path, const QList<QByteArray> &headers,
                   QByteArrayView body = {})
    {
        QByteArray head = verb + ' ' + path + " HTTP/1.1\r\nHost: " + m_host
            + "\r\nContent-Length: " + QByteArray::number(body.size()) + "\r\n";
        for (const QByteArray &h : headers)
            head += h + "\r\n";
        head += "\r\n";
        send(head);
        send(body);
        return readAnswer(verb);
    }

private:
    void send(QByteArrayView bytes)
    {
        for (qsizetype done = 0; done < bytes.size();) {
            const ssize_t n
                = ::send(m_fd, bytes.constData() + done, size_t(bytes.size() - done), MSG_NOSIGNAL);
            if (n < 0 && errno == EINTR)
                continue;
            if (n <= 0)
                throw Error { QStringLiteral("sending failed: %1")
                                  .arg(QString::fromLocal8Bit(strerror(errno))) };
            done += n;
        }
    }

    Answer readAnswer(const QByteArray &verb)
    {
        qsizetype headEnd = -1;
        while ((headEnd = m_buffer.indexOf("\r\n\r\n")) < 0)
            readMore();
        Answer answer;
        const QList<QByteArray> lines = m_buffer.left(headEnd).split('\n');
        const QList<QByteArray> status = lines.value(0).split(' ');
        answer.status = status.value(1).toInt();
        for (qsizetype i = 1; i < lines.size(); ++i) {
            const qsizetype colon = lines[i].indexOf(':');
            if (colon > 0)
                answer.headers.insert(lines[i].left(colon).trimmed().toLower(),
                                      lines[i].mid(colon + 1).trimmed());
        }
        m_buffer.remove(0, headEnd + 4);
        const qint64 length = (verb == "HEAD" || answer.status == 204 || answer.status == 304)
            ? 0
            : answer.headers.value("content-length").toLongLong();
        while (m_buffer.size() < length)
            readMore();
        answer.body = m_buffer.left(length);
        m_buffer.remove(0, length);
        return answer;
    }

    void readMore()
    {
        char buffer[16384];
        ssize_t n;
        do
            n = ::recv(m_fd, buffer, sizeof buffer, 0);
        while (n < 0 && errno == EINTR);
        if (n <= 0)
            throw Error { n == 0 ? QStringLiteral("the server closed the connection")
                                 : QStringLiteral("no answer from the server: %1")
                                       .arg(QString::fromLocal8Bit(strerror(errno))) };
        m_buffer.append(buffer, n);
    }

    int m_fd = -1;
    QByteArray m_buffer;
    QByteArray m_host;
    int m_timeoutMs;
};
