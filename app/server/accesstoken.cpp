#include "app/server/accesstoken.h"

#include "app/core/privatedir.h"

#include <QDir>
#include <QFile>
#include <QRandomGenerator>

#include <algorithm>
#include <array>
#include <cerrno>
#include <cstring>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

using namespace Qt::StringLiterals;

namespace {

bool isUrlSafeBase64(QByteArrayView text)
{
    return std::all_of(text.begin(), text.end(), [](char c) {
        return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9')
            || c == '-' || c == '_';
    });
}

QString errnoText()
{
    return QString::fromLocal8Bit(std::strerror(errno));
}

bool setError(QString *error, const QString &message)
{
    if (error)
        *error = message;
    return false;
}

} // namespace

QString AccessToken::fileName(const QString &dataDir)
{
    return QDir(dataDir).filePath(u"token"_s);
}

QByteArray AccessToken::generate()
{
    std::array<quint32, kRandomBytes / sizeof(quint32)> words {};
    QRandomGenerator::system()->fillRange(words.data(), qsizetype(words.size()));
    const QByteArray raw(reinterpret_cast<const char *>(words.data()), kRandomBytes);
    return raw.toBase64(QByteArray::Base64UrlEncoding | QByteArray::OmitTrailingEquals);
}

AccessToken AccessToken::ephemeral()
{
    return AccessToken(generate());
}

bool AccessToken::constantTimeEquals(QByteArrayView a, QByteArrayView b)
{
    // Every byte of a is visited whatever b holds, so timing tells nothing but the length.
    unsigned char diff = a.size() == b.size() ? 0 : 1;
    for (qsizetype i = 0; i < a.size(); ++i) {
        const char other = i < b.size() ? b.at(i) : char(~a.at(i));
        diff |= static_cast<unsigned char>(a.at(i) ^ other);
    }
    return diff == 0 && !a.isEmpty();
}

std::optional<AccessToken> AccessToken::loadOrCreate(const QString &dataDir, QString *error)
{
    const QString path = fileName(dataDir);
    // Someone else's dir or token would hand them this user's Headway (W1 of issue 15).
    if (!PrivateDir::prepare(dataDir, error) || !PrivateDir::checkFile(path, error))
        return std::nullopt;
    QFile file(path);
    if (!file.exists())
        return store(dataDir, error);
    if (!file.open(QIODevice::ReadOnly)) {
        setError(error,
                 tr("Cannot read the access token file %1: %2").arg(path, file.errorString()));
        return std::nullopt;
    }
    const QByteArray text = file.read(1024).trimmed();
    file.close();
    const qsizetype minChars = (kMinRandomBytes * 4 + 2) / 3;
    if (text.size() < minChars || !isUrlSafeBase64(text)) {
        setError(
            error,
            tr("The access token file %1 is damaged; rotate the token to replace it.").arg(path));
        return std::nullopt;
    }
    return AccessToken(text);
}

std::optional<AccessToken> AccessToken::rotate(const QString &dataDir, QString *error)
{
    return store(dataDir, error);
}

std::optional<AccessToken> AccessToken::store(const QString &dataDir, QString *error)
{
    if (!PrivateDir::prepare(dataDir, error))
        return std::nullopt;
    const QString path = fileName(dataDir);
    const QByteArray finalName = QFile::encodeName(path);
    const QByteArray tempName = finalName + ".new";
    const QByteArray value = generate();

    // Created 0600 from the start (never briefly world-readable), then renamed into place
    // so a crash leaves either the old token or the new one.
    ::unlink(tempName.constData());
    const int fd = ::open(tempName.constData(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
    if (fd < 0) {
        setError(error, tr("Cannot write the access token file %1: %2").arg(path, errnoText()));
        return std::nullopt;
    }
    const QByteArray content = value + '\n';
    bool ok = ::fchmod(fd, 0600) == 0
        && ::write(fd, content.constData(), size_t(content.size())) == content.size()
        && ::fsync(fd) == 0;
    const QString writeError = ok ? QString() : errnoText();
    ok = (::close(fd) == 0) && ok;
    if (!ok || ::rename(tempName.constData(), finalName.constData()) != 0) {
        const QString reason = writeError.isEmpty() ? errnoText() : writeError;
        ::unlink(tempName.constData());
        setError(error, tr("Cannot write the access token file %1: %2").arg(path, reason));
        return std::nullopt;
    }
    return AccessToken(value);
}
