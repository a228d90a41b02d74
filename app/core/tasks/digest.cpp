#include "digest.h"

#include <QCryptographicHash>
#include <QLibrary>

using namespace Qt::StringLiterals;

namespace {
// The few libcrypto (OpenSSL >= 1.1) entry points we need, resolved once at run time so the
// build does not depend on OpenSSL's headers and a machine without it still works.
struct LibCrypto
{
    using CtxNew = void *(*)();
    using CtxFree = void (*)(void *);
    using GetDigest = const void *(*)(const char *);
    using Init = int (*)(void *, const void *, void *);
    using Update = int (*)(void *, const void *, size_t);
    using Final = int (*)(void *, unsigned char *, unsigned int *);

    CtxNew ctxNew = nullptr;
    CtxFree ctxFree = nullptr;
    GetDigest getDigest = nullptr;
    Init init = nullptr;
    Update update = nullptr;
    Final final = nullptr;

    bool isLoaded() const { return ctxNew && ctxFree && getDigest && init && update && final; }

    static const LibCrypto &instance()
    {
        static const LibCrypto lib = load();
        return lib;
    }

private:
    static LibCrypto load()
    {
        LibCrypto lib;
        // Static, not leaked (LeakSanitizer): destroying a QLibrary does not unload it, so the
        // library stays loaded for the life of the process.
        static QLibrary crypto(u"crypto"_s, u"3"_s);
        QLibrary *library = &crypto;
        if (!library->load()) {
            library->setFileNameAndVersion(u"crypto"_s, u"1.1"_s);
            if (!library->load())
                return lib;
        }
        lib.ctxNew = reinterpret_cast<CtxNew>(library->resolve("EVP_MD_CTX_new"));
        lib.ctxFree = reinterpret_cast<CtxFree>(library->resolve("EVP_MD_CTX_free"));
        lib.getDigest = reinterpret_cast<GetDigest>(library->resolve("EVP_get_digestbyname"));
        lib.init = reinterpret_cast<Init>(library->resolve("EVP_DigestInit_ex"));
        lib.update = reinterpret_cast<Update>(library->resolve("EVP_DigestUpdate"));
        lib.final = reinterpret_cast<Final>(library->resolve("EVP_DigestFinal_ex"));
        return lib;
    }
};

QCryptographicHash::Algorithm qtAlgorithm(Digest::Algorithm algorithm)
{
    switch (algorithm) {
    case Digest::Algorithm::Sha1:
        return QCryptographicHash::Sha1;
    case Digest::Algorithm::Md5:
        return QCryptographicHash::Md5;
    case Digest::Algorithm::Sha256:
        break;
    }
    return QCryptographicHash::Sha256;
}
} // namespace

struct Digest::Private
{
    Algorithm algorithm;
    void *evp = nullptr; // EVP_MD_CTX when libcrypto is used
    std::unique_ptr<QCryptographicHash> qt;
};

std::optional<Digest::Algorithm> Digest::algorithmFromName(const QString &name)
{
    if (name == u"sha256")
        return Algorithm::Sha256;
    if (name == u"sha1")
        return Algorithm::Sha1;
    if (name == u"md5")
        return Algorithm::Md5;
    return std::nullopt;
}

QString Digest::algorithmLabel(Algorithm algorithm)
{
    switch (algorithm) {
    case Algorithm::Sha1:
        return u"SHA-1"_s;
    case Algorithm::Md5:
        return u"MD5"_s;
    case Algorithm::Sha256:
        break;
    }
    return u"SHA-256"_s;
}

QString Digest::algorithmName(Algorithm algorithm)
{
    switch (algorithm) {
    case Algorithm::Sha1:
        return u"sha1"_s;
    case Algorithm::Md5:
        return u"md5"_s;
    case Algorithm::Sha256:
        break;
    }
    return u"sha256"_s;
}

Digest::Digest(Algorithm algorithm, Backend backend) : d(std::make_unique<Private>())
{
    d->algorithm = algorithm;
    const LibCrypto &lib = LibCrypto::instance();
    if (backend == Backend::Auto && lib.isLoaded()) {
        const QByteArray name = algorithmName(algorithm).toLatin1();
        const void *md = lib.getDigest(name.constData());
        void *ctx = md ? lib.ctxNew() : nullptr;
        // A FIPS-only configuration may refuse MD5: then Qt does it.
        if (ctx && lib.init(ctx, md, nullptr) == 1)
            d->evp = ctx;
        else if (ctx)
            lib.ctxFree(ctx);
    }
    if (!d->evp)
        d->qt = std::make_unique<QCryptographicHash>(qtAlgorithm(algorithm));
}

Digest::~Digest()
{
    if (d->evp)
        LibCrypto::instance().ctxFree(d->evp);
}

void Digest::addData(const char *data, qsizetype length)
{
    if (d->evp)
        LibCrypto::instance().update(d->evp, data, size_t(length));
    else
        d->qt->addData(QByteArrayView(data, length));
}

QByteArray Digest::result()
{
    if (!d->evp)
        return d->qt->result();
    unsigned char buffer[64];
    unsigned int length = 0;
    if (LibCrypto::instance().final(d->evp, buffer, &length) != 1)
        return {};
    return QByteArray(reinterpret_cast<const char *>(buffer), int(length));
}

bool Digest::isAccelerated() const
{
    return d->evp != nullptr;
}
