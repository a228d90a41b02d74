#include "webpage.h"

#include "tokeninterceptor.h"

#include <QDesktopServices>

using namespace Qt::StringLiterals;

WebPage::WebPage(QWebEngineProfile *profile, QObject *parent) : QWebEnginePage(profile, parent) { }

void WebPage::openExternally(const QUrl &url)
{
    // Only schemes a browser or mail client handles; never file: or javascript:.
    const QString scheme = url.scheme();
    if (scheme != u"http"_s && scheme != u"https"_s && scheme != u"mailto"_s)
        return;
    if (m_opener)
        m_opener(url);
    else
        QDesktopServices::openUrl(url);
}

bool WebPage::acceptNavigationRequest(const QUrl &url, NavigationType type, bool isMainFrame)
{
    if (!isMainFrame || TokenInterceptor::sameOrigin(url, m_origin) || url.scheme() == u"about"_s
        || url.scheme() == u"data"_s)
        return QWebEnginePage::acceptNavigationRequest(url, type, isMainFrame);
    openExternally(url);
    return false;
}

QWebEnginePage *WebPage::createWindow(WebWindowType)
{
    // window.open / target=_blank: a throwaway page whose first navigation goes to the browser.
    auto *page = new WebPage(profile(), this);
    page->setExternalOpener([this](const QUrl &url) { openExternally(url); });
    connect(page, &QWebEnginePage::urlChanged, page, [page](const QUrl &) { page->deleteLater(); });
    return page;
}
