#include "uploadstream.h"

#include "uploaddriver.h"

UploadStream::UploadStream(UploadDriver *driver, const UploadApi *api, QString id,
                           UploadApi::Serialize serialize)
    : m_driver(driver), m_api(api), m_id(std::move(id)), m_serialize(std::move(serialize))
{
}

UploadStream::~UploadStream()
{
    if (!m_finished)
        finish(End::Lost);
}

qint64 UploadStream::maxBytes() const
{
    return UploadDriver::StreamedChunkLimit;
}

bool UploadStream::write(const QByteArray &piece)
{
    if (!m_driver) {
        m_error = { UploadError::Kind::Io, QString() };
        return false;
    }
    return m_driver->streamWrite(m_id, piece, &m_error);
}

QByteArray UploadStream::finish(End end)
{
    if (m_finished)
        return {};
    m_finished = true;
    if (!m_driver)
        return {};
    switch (end) {
    case End::Lost: {
        UploadError ignored; // the offset is what arrived; the sender asks for it with HEAD
        m_driver->endStream(m_id, &ignored);
        return {};
    }
    case End::Failed: {
        HttpReply reply = m_api->patchFailed(m_id, m_error);
        return m_serialize(reply.withHeader("Connection", "close"));
    }
    case End::Complete:
        break;
    }
    UploadError error;
    const std::optional<qint64> offset = m_driver->endStream(m_id, &error);
    return m_serialize(offset ? m_api->patched(*offset) : m_api->patchFailed(m_id, error));
}
