#pragma once

#include <QUrl>
#include <QWidget>

#include <functional>

class QWebEngineProfile;
class QWebEngineView;
class TokenInterceptor;
class WebPage;

// The web tab: the bundled page of the in-process server in a QWebEngineView with an
// off-the-record profile. The token goes in an Authorization header added by an interceptor for
// the server's origin only; links to other origins open in the system browser.
class WebTab final : public QWidget
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(WebTab)

public:
    explicit WebTab(QWidget *parent = nullptr);
    ~WebTab() override;

    void load(const QUrl &baseUrl, const QString &token);
    QUrl baseUrl() const { return m_baseUrl; }

    WebPage *page() const { return m_page; }
    QWebEngineView *view() const { return m_view; }
    void setExternalOpener(std::function<void(const QUrl &)> opener);

Q_SIGNALS:
    void loadFinished(bool ok);

private:
    QUrl m_baseUrl;
    QWebEngineProfile *m_profile;
    TokenInterceptor *m_interceptor;
    WebPage *m_page;
    QWebEngineView *m_view;
};
