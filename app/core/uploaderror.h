#pragma once

#include <QString>

// What went wrong with an upload, in the upload's own terms: the store and the upload driver
// know nothing of HTTP; UploadApi maps each kind to its tus status.
struct UploadError
{
    enum class Kind {
        None,
        TooLarge, // larger than allowed (the whole file or one chunk)
        DiskFull, // not enough free space on the upload folder's disk
        NotFound, // no such upload (finished, canceled or expired)
        OffsetMismatch, // a chunk not at the offset the store holds, or the upload is complete
        ChecksumMismatch, // the file's SHA-256 is not the announced one
        VerifyFailed, // the partial file changed on disk
        Io, // any other file system error
    };

    Kind kind = Kind::None;
    QString message;

    // The API's error code ("payload_too_large", "disk_full", ...).
    QString code() const;
    explicit operator bool() const { return kind != Kind::None; }
};
