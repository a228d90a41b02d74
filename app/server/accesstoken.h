#pragma once

#include <QByteArray>
#include <QByteArrayView>
#include <QCoreApplication>
#include <QString>

#include <optional>

// The secret that lets a client use the local server: 256 random bits, URL-safe base64
// without padding (43 characters), kept per data dir in the file "token" (mode 0600) so it
// survives restarts and can be rotated. Comparisons run in constant time.
class AccessToken final
{
    Q_DECLARE_TR_FUNCTIONS(AccessToken)

public:
    static constexpr int kRandomBytes = 32;
    static constexpr int kMinRandomBytes = 16; // a stored token must carry at least 128 bits

    // Reads <dataDir>/token, or creates the dir and the file with a new token. On
    // failure returns nothing and says why in *error.
    static std::optional<AccessToken> loadOrCreate(const QString &dataDir,
                                                   QString *error = nullptr);
    // Replaces the stored token with a new one; old tokens stop working.
    static std::optional<AccessToken> rotate(const QString &dataDir, QString *error = nullptr);
    // A token that lives only in memory (tests, --data-dir-less setups).
    static AccessToken ephemeral();

    static QByteArray generate(); // new random token text
    static bool constantTimeEquals(QByteArrayView a, QByteArrayView b);
    static QString fileName(const QString &dataDir); // <dataDir>/token

    const QByteArray &value() const { return m_value; }
    QString toString() const { return QString::fromLatin1(m_value); }
    bool matches(QByteArrayView candidate) const { return constantTimeEquals(m_value, candidate); }

private:
    explicit AccessToken(QByteArray value) : m_value(std::move(value)) { }
    static std::optional<AccessToken> store(const QString &dataDir, QString *error);

    QByteArray m_value;
};
