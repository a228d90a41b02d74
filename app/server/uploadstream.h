#pragma once

#include "app/core/uploaderror.h"
#include "app/server/bodysink.h"
#include "app/server/uploadapi.h"

#include <QPointer>
#include <QString>

class UploadDriver;

// A tus PATCH body on its way into the partial file (the transport guard's BodySink): each
// piece is written as it arrives (UploadDriver::streamWrite), the end completes the upload or
// reports progress, and the answer is the one a buffered PATCH gets (UploadApi::patched /
// patchFailed). A connection lost mid-body keeps the bytes that arrived.
class UploadStream final : public BodySink
{
public:
    UploadStream(UploadDriver *driver, const UploadApi *api, QString id,
                 UploadApi::Serialize serialize);
    ~UploadStream() override;
    Q_DISABLE_COPY_MOVE(UploadStream)

    qint64 maxBytes() const override;
    bool write(const QByteArray &piece) override;
    QByteArray finish(End end) override;

private:
    QPointer<UploadDriver> m_driver; // the server may go first at shutdown
    const UploadApi *m_api;
    QString m_id;
    UploadApi::Serialize m_serialize;
    UploadError m_error;
    bool m_finished = false;
};
