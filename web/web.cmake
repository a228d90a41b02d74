# The bundled page (web/): compiled into the `headway_web` static library as Qt resources under
# ":/web" (":/web/index.html", ":/web/js/main.js"...), which headway_server serves at "/".
# Include once from the root CMakeLists.txt and link headway_web into headway_server:
#   include(web/web.cmake)
#   target_link_libraries(headway_server PUBLIC headway_web)
# Every file is committed (Bootstrap and tus-js-client too, in web/vendor/): building needs no npm and no network.
include_guard(GLOBAL)

set(HEADWAY_WEB_DIR ${CMAKE_CURRENT_LIST_DIR})
file(GLOB_RECURSE HEADWAY_WEB_FILES CONFIGURE_DEPENDS
    RELATIVE ${HEADWAY_WEB_DIR}
    ${HEADWAY_WEB_DIR}/index.html
    ${HEADWAY_WEB_DIR}/css/*.css
    ${HEADWAY_WEB_DIR}/js/*.js
    ${HEADWAY_WEB_DIR}/img/*.svg
    ${HEADWAY_WEB_DIR}/vendor/bootstrap.min.css
    ${HEADWAY_WEB_DIR}/vendor/bootstrap.bundle.min.js
    ${HEADWAY_WEB_DIR}/vendor/tus.min.js)
list(SORT HEADWAY_WEB_FILES)
list(TRANSFORM HEADWAY_WEB_FILES PREPEND ${HEADWAY_WEB_DIR}/)

# A static library with only resources: Qt links their initializer into every executable that
# links it (directly or through headway_server), so ":/web" is there without Q_INIT_RESOURCE.
add_library(headway_web STATIC ${HEADWAY_WEB_DIR}/web.cmake)
set_target_properties(headway_web PROPERTIES LINKER_LANGUAGE CXX)
qt_add_resources(headway_web "headway_web"
    PREFIX "/web"
    BASE ${HEADWAY_WEB_DIR}
    FILES ${HEADWAY_WEB_FILES})
