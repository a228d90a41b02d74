#pragma once

#include <QByteArray>
#include <QString>

#include <memory>
#include <optional>

// An incremental hash (SHA-256, SHA-1 or MD5) as fast as the machine allows. Qt 6.4's
// QCryptographicHash is portable C (about half of sha256sum's speed); when the system's
// libcrypto (OpenSSL 3) can be loaded at run time it is used instead (SHA-NI/AVX2: several times
// faster), otherwise QCryptographicHash. Both give identical digests.
class Digest final
{
    Q_DISABLE_COPY_MOVE(Digest)

public:
    enum class Algorithm { Sha256, Sha1, Md5 };
    enum class Backend { Auto, Qt };

    static std::optional<Algorithm> algorithmFromName(const QString &name); // "sha256"...
    static QString algorithmName(Algorithm algorithm);
    // As people write it: "SHA-256", "SHA-1", "MD5".
    static QString algorithmLabel(Algorithm algorithm);

    explicit Digest(Algorithm algorithm, Backend backend = Backend::Auto);
    ~Digest();

    void addData(const char *data, qsizetype length);
    QByteArray result(); // raw bytes; call once
    bool isAccelerated() const; // true when libcrypto does the work

private:
    struct Private;
    std::unique_ptr<Private> d;
};
