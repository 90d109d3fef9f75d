// See include/ccurl.h: libcurl opened with dlopen on first use, and the wrappers Swift calls.
#include "ccurl.h"

#include <dlfcn.h>
#include <pthread.h>
#include <stdio.h>
#include <string.h>

// Every libcurl entry point the transport uses, resolved once by ccurl_load.
static struct {
    CURLcode (*global_init)(long);
    const char *(*easy_strerror)(CURLcode);
    const char *(*multi_strerror)(CURLMcode);
    CURL *(*easy_init)(void);
    void (*easy_cleanup)(CURL *);
    CURLcode (*easy_setopt)(CURL *, CURLoption, ...);
    CURLcode (*easy_getinfo)(CURL *, CURLINFO, ...);
    struct curl_slist *(*slist_append)(struct curl_slist *, const char *);
    void (*slist_free_all)(struct curl_slist *);
    CURLM *(*multi_init)(void);
    CURLMcode (*multi_cleanup)(CURLM *);
    CURLMcode (*multi_setopt)(CURLM *, CURLMoption, ...);
    CURLMcode (*multi_add_handle)(CURLM *, CURL *);
    CURLMcode (*multi_remove_handle)(CURLM *, CURL *);
    CURLMcode (*multi_perform)(CURLM *, int *);
    CURLMcode (*multi_poll)(CURLM *, struct curl_waitfd *, unsigned int, int, int *);
    CURLMcode (*multi_wakeup)(CURLM *);
    CURLMsg *(*multi_info_read)(CURLM *, int *);
} curl;

static pthread_once_t load_once = PTHREAD_ONCE_INIT;
static int load_status = -1;
static char load_reason[512];

// Resolves `name` into `*slot`; on failure records which symbol was missing.
static int resolve(void *library, const char *name, void **slot) {
    *slot = dlsym(library, name);
    if (*slot == NULL) {
        snprintf(load_reason, sizeof load_reason, "libcurl has no %s (%s)", name, dlerror());
        return -1;
    }
    return 0;
}

#define RESOLVE(field, symbol) \
    if (resolve(library, #symbol, (void **)&curl.field) != 0) return

static void load(void) {
    // The soname of every libcurl 7.16+ and 8.x; the unversioned name only exists with the -dev package.
    void *library = dlopen("libcurl.so.4", RTLD_NOW | RTLD_LOCAL);
    if (library == NULL) library = dlopen("libcurl.so", RTLD_NOW | RTLD_LOCAL);
    if (library == NULL) {
        snprintf(load_reason, sizeof load_reason, "could not load libcurl.so.4 (%s); install libcurl4", dlerror());
        return;
    }
    RESOLVE(global_init, curl_global_init);
    RESOLVE(easy_strerror, curl_easy_strerror);
    RESOLVE(multi_strerror, curl_multi_strerror);
    RESOLVE(easy_init, curl_easy_init);
    RESOLVE(easy_cleanup, curl_easy_cleanup);
    RESOLVE(easy_setopt, curl_easy_setopt);
    RESOLVE(easy_getinfo, curl_easy_getinfo);
    RESOLVE(slist_append, curl_slist_append);
    RESOLVE(slist_free_all, curl_slist_free_all);
    RESOLVE(multi_init, curl_multi_init);
    RESOLVE(multi_cleanup, curl_multi_cleanup);
    RESOLVE(multi_setopt, curl_multi_setopt);
    RESOLVE(multi_add_handle, curl_multi_add_handle);
    RESOLVE(multi_remove_handle, curl_multi_remove_handle);
    RESOLVE(multi_perform, curl_multi_perform);
    // curl_multi_poll and curl_multi_wakeup arrived in libcurl 7.66 and 7.68.
    RESOLVE(multi_poll, curl_multi_poll);
    RESOLVE(multi_wakeup, curl_multi_wakeup);
    RESOLVE(multi_info_read, curl_multi_info_read);
    load_status = 0;
}

int ccurl_load(char *reason, size_t reason_size) {
    pthread_once(&load_once, load);
    if (load_status != 0 && reason != NULL && reason_size > 0) {
        snprintf(reason, reason_size, "%s", load_reason);
    }
    return load_status;
}

CURLcode ccurl_global_init(long flags) { return curl.global_init(flags); }
const char *ccurl_easy_strerror(CURLcode code) { return curl.easy_strerror(code); }
const char *ccurl_multi_strerror(CURLMcode code) { return curl.multi_strerror(code); }

CURL *ccurl_easy_init(void) { return curl.easy_init(); }
void ccurl_easy_cleanup(CURL *handle) { curl.easy_cleanup(handle); }

CURLcode ccurl_easy_setopt_long(CURL *handle, CURLoption option, long value) {
    return curl.easy_setopt(handle, option, value);
}
CURLcode ccurl_easy_setopt_off(CURL *handle, CURLoption option, curl_off_t value) {
    return curl.easy_setopt(handle, option, value);
}
CURLcode ccurl_easy_setopt_string(CURL *handle, CURLoption option, const char *value) {
    return curl.easy_setopt(handle, option, value);
}
CURLcode ccurl_easy_setopt_pointer(CURL *handle, CURLoption option, void *value) {
    return curl.easy_setopt(handle, option, value);
}
CURLcode ccurl_easy_setopt_slist(CURL *handle, CURLoption option, struct curl_slist *list) {
    return curl.easy_setopt(handle, option, list);
}
CURLcode ccurl_easy_setopt_write_function(CURL *handle, CURLoption option, curl_write_callback callback) {
    return curl.easy_setopt(handle, option, callback);
}
CURLcode ccurl_easy_setopt_read_function(CURL *handle, curl_read_callback callback) {
    return curl.easy_setopt(handle, CURLOPT_READFUNCTION, callback);
}

CURLcode ccurl_easy_getinfo_long(CURL *handle, CURLINFO info, long *value) {
    return curl.easy_getinfo(handle, info, value);
}
CURLcode ccurl_easy_getinfo_string(CURL *handle, CURLINFO info, const char **value) {
    char *raw = NULL;
    CURLcode code = curl.easy_getinfo(handle, info, &raw);
    *value = raw;
    return code;
}

struct curl_slist *ccurl_slist_append(struct curl_slist *list, const char *line) {
    return curl.slist_append(list, line);
}
void ccurl_slist_free_all(struct curl_slist *list) { curl.slist_free_all(list); }

CURLM *ccurl_multi_init(void) { return curl.multi_init(); }
CURLMcode ccurl_multi_cleanup(CURLM *multi) { return curl.multi_cleanup(multi); }
CURLMcode ccurl_multi_setopt_long(CURLM *multi, CURLMoption option, long value) {
    return curl.multi_setopt(multi, option, value);
}
CURLMcode ccurl_multi_add_handle(CURLM *multi, CURL *handle) { return curl.multi_add_handle(multi, handle); }
CURLMcode ccurl_multi_remove_handle(CURLM *multi, CURL *handle) { return curl.multi_remove_handle(multi, handle); }
CURLMcode ccurl_multi_perform(CURLM *multi, int *running) { return curl.multi_perform(multi, running); }
CURLMcode ccurl_multi_poll(CURLM *multi, int timeout_ms) { return curl.multi_poll(multi, NULL, 0, timeout_ms, NULL); }
CURLMcode ccurl_multi_wakeup(CURLM *multi) { return curl.multi_wakeup(multi); }
CURLMsg *ccurl_multi_info_read(CURLM *multi, int *remaining) { return curl.multi_info_read(multi, remaining); }
