// libcurl for Swift: loaded on first use, called through typed, non-variadic wrappers.
//
// The daemon does not link libcurl. `ccurl_load` opens libcurl.so.4 with dlopen the first time a step (or
// triggerctl) sends something, so a daemon whose workflows never talk to the network never maps libcurl and the
// ~27 libraries it pulls in (TLS, Kerberos, LDAP, ...): about 5 MiB of idle RSS and their start-up
// constructors. Types and constants still come from <curl/curl.h> (libcurl4-openssl-dev).
//
// curl_easy_setopt, curl_easy_getinfo and curl_multi_setopt take `...`, which Swift cannot call. Each wrapper
// fixes the argument type, so the Swift side stays type-checked: a `long` option goes through
// ccurl_easy_setopt_long, a string through ccurl_easy_setopt_string, etc.
//
// Every other ccurl_ function may be called only after ccurl_load returned 0.
// Only Sources/Steps/Transport/CurlTransport.swift and CurlTransport+Easy.swift import this module.
#ifndef TRIGGERD_CCURL_H
#define TRIGGERD_CCURL_H

#include <curl/curl.h>
#include <stddef.h>

// Opens libcurl and resolves every function below; safe to call again (later calls return the first result).
// Returns 0, or -1 with a message (what failed, and why) written to `reason`.
int ccurl_load(char *reason, size_t reason_size);

CURLcode ccurl_global_init(long flags);
const char *ccurl_easy_strerror(CURLcode code);
const char *ccurl_multi_strerror(CURLMcode code);

// MARK: - easy handles

CURL *ccurl_easy_init(void);
void ccurl_easy_cleanup(CURL *handle);

CURLcode ccurl_easy_setopt_long(CURL *handle, CURLoption option, long value);
CURLcode ccurl_easy_setopt_off(CURL *handle, CURLoption option, curl_off_t value);
// libcurl copies string options (except CURLOPT_POSTFIELDS, which this project never uses).
CURLcode ccurl_easy_setopt_string(CURL *handle, CURLoption option, const char *value);
// For CURLOPT_WRITEDATA, CURLOPT_HEADERDATA, CURLOPT_READDATA, CURLOPT_ERRORBUFFER and
// CURLOPT_COPYPOSTFIELDS (bytes that may contain NUL, so not a C string).
CURLcode ccurl_easy_setopt_pointer(CURL *handle, CURLoption option, void *value);
// For CURLOPT_HTTPHEADER and CURLOPT_MAIL_RCPT. The list must outlive the transfer.
CURLcode ccurl_easy_setopt_slist(CURL *handle, CURLoption option, struct curl_slist *list);
// For CURLOPT_WRITEFUNCTION and CURLOPT_HEADERFUNCTION, which share one signature.
CURLcode ccurl_easy_setopt_write_function(CURL *handle, CURLoption option, curl_write_callback callback);
CURLcode ccurl_easy_setopt_read_function(CURL *handle, curl_read_callback callback);

CURLcode ccurl_easy_getinfo_long(CURL *handle, CURLINFO info, long *value);
// The returned string belongs to the handle: copy it before ccurl_easy_cleanup.
CURLcode ccurl_easy_getinfo_string(CURL *handle, CURLINFO info, const char **value);

struct curl_slist *ccurl_slist_append(struct curl_slist *list, const char *line);
void ccurl_slist_free_all(struct curl_slist *list);

// MARK: - multi handles

CURLM *ccurl_multi_init(void);
CURLMcode ccurl_multi_cleanup(CURLM *multi);
CURLMcode ccurl_multi_setopt_long(CURLM *multi, CURLMoption option, long value);
CURLMcode ccurl_multi_add_handle(CURLM *multi, CURL *handle);
CURLMcode ccurl_multi_remove_handle(CURLM *multi, CURL *handle);
CURLMcode ccurl_multi_perform(CURLM *multi, int *running);
CURLMcode ccurl_multi_poll(CURLM *multi, int timeout_ms);
// Callable from any thread: interrupts ccurl_multi_poll.
CURLMcode ccurl_multi_wakeup(CURLM *multi);
CURLMsg *ccurl_multi_info_read(CURLM *multi, int *remaining);

// MARK: - CURLMsg

// CURLMsg keeps the result in an anonymous union; read it here rather than through Swift's imported union
// accessors.
static inline CURLcode ccurl_message_result(const CURLMsg *message) { return message->data.result; }
static inline int ccurl_message_is_done(const CURLMsg *message) { return message->msg == CURLMSG_DONE; }

#endif
