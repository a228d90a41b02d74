#include "outputcapture.h"

#include <cerrno>
#include <cstring>
#include <poll.h>
#include <unistd.h>

namespace {
// Large writes (cat writes 128 KiB at once) must fit one datagram; the kernel caps the request
// at twice net.core.wmem_max.
constexpr int kSendBuffer = 8 * 1024 * 1024;

// A datagram socket bound to an address of its own (Linux autobind: an abstract name).
int boundSocket(sockaddr_un &address, socklen_t &length)
{
    const int fd = ::socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0);
    if (fd < 0)
        return -1;
    sockaddr_un any {};
    any.sun_family = AF_UNIX;
    length = sizeof(address);
    if (::bind(fd, reinterpret_cast<const sockaddr *>(&any), sizeof(sa_family_t)) != 0
        || ::getsockname(fd, reinterpret_cast<sockaddr *>(&address), &length) != 0) {
        ::close(fd);
        return -1;
    }
    return fd;
}

bool sameAddress(const sockaddr_un &a, socklen_t aLength, const sockaddr_un &b, socklen_t bLength)
{
    return aLength == bLength && std::memcmp(&a, &b, aLength) == 0;
}
} // namespace

OutputCapture::OutputCapture()
{
    sockaddr_un receiverAddress {};
    socklen_t receiverLength = 0;
    m_receiver = boundSocket(receiverAddress, receiverLength);
    m_out = boundSocket(m_outAddress, m_outLength);
    m_err = boundSocket(m_errAddress, m_errLength);
    if (!isValid())
        return;
    for (const int fd : { m_out, m_err }) {
        ::setsockopt(fd, SOL_SOCKET, SO_SNDBUF, &kSendBuffer, sizeof(kSendBuffer));
        if (::connect(fd, reinterpret_cast<const sockaddr *>(&receiverAddress), receiverLength)
            != 0) {
            closeSenders();
            return;
        }
    }
}

OutputCapture::~OutputCapture()
{
    closeSenders();
    if (m_receiver >= 0)
        ::close(m_receiver);
}

void OutputCapture::redirectInChild() const
{
    // dup2 clears close-on-exec on the copies; the originals close at exec.
    ::dup2(m_out, STDOUT_FILENO);
    ::dup2(m_err, STDERR_FILENO);
}

void OutputCapture::closeSenders()
{
    for (int *fd : { &m_out, &m_err }) {
        if (*fd >= 0)
            ::close(*fd);
        *fd = -1;
    }
}

void OutputCapture::read(int timeoutMs,
                         const std::function<void(const QByteArray &, bool fromStderr)> &sink,
                         int wakeFd)
{
    if (m_receiver < 0)
        return;
    pollfd pfds[2] = { { m_receiver, POLLIN, 0 }, { wakeFd, POLLIN, 0 } };
    if (::poll(pfds, wakeFd >= 0 ? 2 : 1, timeoutMs) <= 0 || !(pfds[0].revents & POLLIN))
        return;
    for (;;) {
        // The size of the next datagram first (MSG_TRUNC reports it whole), then the datagram.
        const ssize_t size = ::recv(m_receiver, nullptr, 0, MSG_PEEK | MSG_TRUNC | MSG_DONTWAIT);
        if (size < 0) {
            if (errno == EINTR)
                continue;
            return; // EAGAIN: all read
        }
        if (m_buffer.size() < size)
            m_buffer.resize(size);
        sockaddr_un from {};
        socklen_t fromLength = sizeof(from);
        const ssize_t got = ::recvfrom(m_receiver, m_buffer.data(), size_t(size), MSG_DONTWAIT,
                                       reinterpret_cast<sockaddr *>(&from), &fromLength);
        if (got < 0) {
            if (errno == EINTR)
                continue;
            return;
        }
        // Anyone on the machine may send to an abstract address: only our two senders count.
        const bool isOut = sameAddress(from, fromLength, m_outAddress, m_outLength);
        const bool isErr = sameAddress(from, fromLength, m_errAddress, m_errLength);
        if ((isOut || isErr) && got > 0)
            sink(QByteArray(m_buffer.constData(), got), isErr);
    }
}
