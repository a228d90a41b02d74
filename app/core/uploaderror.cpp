#include "app/core/uploaderror.h"

using namespace Qt::StringLiterals;

QString UploadError::code() const
{
    switch (kind) {
    case Kind::None:
        return {};
    case Kind::TooLarge:
        return u"payload_too_large"_s;
    case Kind::DiskFull:
        return u"disk_full"_s;
    case Kind::NotFound:
        return u"not_found"_s;
    case Kind::OffsetMismatch:
        return u"offset_mismatch"_s;
    case Kind::ChecksumMismatch:
        return u"checksum_mismatch"_s;
    case Kind::VerifyFailed:
        return u"verify_failed"_s;
    case Kind::Io:
        return u"io_error"_s;
    }
    return u"io_error"_s;
}
