#pragma once

#include <QByteArray>

#include <functional>
#include <sys/socket.h>
#include <sys/un.h>

// Captures a child's stdout and stderr in the order it wrote them, each write tagged with its
// stream. Two pipes cannot say which of two quick writes came first (both are readable by the
// time the reader wakes), so the child's fds 1 and 2 are two Unix datagram sockets, each bound
// to its own address and connected to one receiving socket: the kernel queues every write() as
// one datagram in the order written, and the sender's address names the stream. A writer blocks
// while the queue is full, as with a pipe. The one difference a program can see: a single
// write() larger than the socket's send buffer (SO_SNDBUF, at least 200 KiB) fails (EMSGSIZE).
class OutputCapture final
{
public:
    OutputCapture();
    ~OutputCapture();
    OutputCapture(const OutputCapture &) = delete;
    OutputCapture &operator=(const OutputCapture &) = delete;

    bool isValid() const { return m_receiver >= 0 && m_out >= 0 && m_err >= 0; }
    // For the child, between fork and exec (async-signal-safe): its fds 1 and 2 become the
    // senders.
    void redirectInChild() const;
    // In the parent once the child started: only the child holds the senders now.
    void closeSenders();
    // Waits up to timeoutMs for output (or for wakeFd to become readable, such as a pidfd that
    // says the process ended), then hands every queued write to sink in order.
    void read(int timeoutMs, const std::function<void(const QByteArray &, bool fromStderr)> &sink,
              int wakeFd = -1);

private:
    int m_receiver = -1;
    int m_out = -1;
    int m_err = -1;
    sockaddr_un m_outAddress {};
    socklen_t m_outLength = 0;
    sockaddr_un m_errAddress {};
    socklen_t m_errLength = 0;
    QByteArray m_buffer;
};
