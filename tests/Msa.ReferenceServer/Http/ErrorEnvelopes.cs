namespace Msa.ReferenceServer.Http;

/// <summary>
/// Makes every failure the JSON error envelope: an exception becomes 500 <c>internal_error</c>, a Kestrel request error
/// keeps its status, and a route that matched nothing (any unknown path or method) becomes 404 <c>not_found</c>.
/// </summary>
internal static class ErrorEnvelopes
{
    public static WebApplication UseErrorEnvelopes(this WebApplication app)
    {
        app.Use(async (http, next) =>
        {
            try
            {
                await next(http);
            }
            catch (OperationCanceledException) when (http.RequestAborted.IsCancellationRequested)
            {
                return; // the client went away; nobody is left to answer
            }
            catch (BadHttpRequestException ex) when (!http.Response.HasStarted)
            {
                await Rewrite(http, ApiError.Reply(ex.StatusCode, ex.StatusCode == 413 ? "request_too_large" : "invalid_request", ex.Message));
                return;
            }
            catch (Exception ex) when (!http.Response.HasStarted)
            {
                await Rewrite(http, ApiError.Reply(500, "internal_error", $"The reference server failed: {ex.GetType().Name}: {ex.Message}"));
                return;
            }

            var unanswered = !http.Response.HasStarted && string.IsNullOrEmpty(http.Response.ContentType) && http.Response.ContentLength is null;
            if (unanswered && http.Response.StatusCode is 404 or 405)
            {
                // UnknownRoutesAnswerFrameworkPage: the framework's own page instead of the envelope.
                if (http.RequestServices.GetRequiredService<FaultInjector>().UnknownRoute() is { } page) { http.Response.Clear(); await page.ExecuteAsync(http); }
                else await Rewrite(http, ApiError.Reply(404, "not_found", $"No endpoint for {http.Request.Method} {http.Request.Path}."));
            }
        });
        return app;
    }

    private static Task Rewrite(HttpContext http, JsonReply reply)
    {
        http.Response.Clear();
        return reply.ExecuteAsync(http);
    }
}
