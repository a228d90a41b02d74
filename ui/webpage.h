#pragma once

#include <QUrl>
#include <QWebEnginePage>

#include <functional>

// The embedded page: navigation stays on the server's origin; links elsewhere (and new windows)
// open in the system browser instead.
class WebPage final : public QWebEnginePage
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(WebPage)

public:
    explicit WebPage(QWebEngineProfile *profile, QObject *parent = nullptr);

    void setOrigin(const QUrl &origin) { m_origin = origin; }
    // Default: QDesktopServices::openUrl. Tests replace it.
    void setExternalOpener(std::function<void(const QUrl &)> opener)
    {
        m_opener = std::move(opener);
    }

protected:
    bool acceptNavigationRequest(const QUrl &url, NavigationType type, bool isMainFrame) override;
    QWebEnginePage *createWindow(WebWindowType type) override;

private:
    void openExternally(const QUrl &url);

    QUrl m_origin;
    std::function<void(const QUrl &)> m_opener;
};
