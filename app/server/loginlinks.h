#pragma once

#include <QByteArray>
#include <QDeadlineTimer>
#include <QList>

#include <chrono>

// One-time links to the page (`headway open`): the link carries a random code instead of the
// access token, opens one session once and only for a minute, so neither the browser's
// command line (seen by every local user in ps) nor its history ever holds the token.
class LoginLinks final
{
public:
    static constexpr std::chrono::seconds Lifetime { 60 };
    static constexpr int MaxOpen = 16; // the oldest unused link goes first

    QByteArray create();
    // True once per code, within its lifetime.
    bool consume(QByteArrayView code);

private:
    struct Link
    {
        QByteArray code;
        QDeadlineTimer expiry;
    };
    QList<Link> m_links;
};
