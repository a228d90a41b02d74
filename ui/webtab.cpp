#include "webtab.h"

#include "tokeninterceptor.h"
#include "webpage.h"

#include <QVBoxLayout>
#include <QWebEngineProfile>
#include <QWebEngineSettings>
#include <QWebEngineView>

WebTab::WebTab(QWidget *parent)
    : QWidget(parent), m_profile(new QWebEngineProfile(this)), // no storage name: off the record
      m_interceptor(new TokenInterceptor(this)), m_page(nullptr), m_view(nullptr)
{
    m_profile->setUrlRequestInterceptor(m_interceptor);
    m_profile->setHttpCacheType(QWebEngineProfile::MemoryHttpCache);
    m_profile->setPersistentCookiesPolicy(QWebEngineProfile::NoPersistentCookies);
    m_page = new WebPage(m_profile, this);
    m_page->settings()->setAttribute(QWebEngineSettings::LocalContentCanAccessRemoteUrls, false);
    m_view = new QWebEngineView(this);
    m_view->setPage(m_page);
    m_view->setAccessibleName(tr("Web page"));
    auto *v = new QVBoxLayout(this);
    v->setContentsMargins(0, 0, 0, 0);
    v->addWidget(m_view);
    connect(m_page, &QWebEnginePage::loadFinished, this, &WebTab::loadFinished);
}

WebTab::~WebTab()
{
    // The page must go before its profile.
    m_view->setPage(nullptr);
    delete m_page;
    m_page = nullptr;
}

void WebTab::load(const QUrl &baseUrl, const QString &token)
{
    m_baseUrl = baseUrl;
    m_interceptor->setOrigin(baseUrl, token);
    m_page->setOrigin(baseUrl);
    m_page->load(baseUrl);
}

void WebTab::setExternalOpener(std::function<void(const QUrl &)> opener)
{
    m_page->setExternalOpener(std::move(opener));
}
