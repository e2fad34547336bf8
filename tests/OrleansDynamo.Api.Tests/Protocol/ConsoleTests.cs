using System.Net;
using System.Text;
using Amazon.DynamoDBv2.Model;
using Microsoft.AspNetCore.Builder;
using Microsoft.Playwright;
using OrleansDynamo.Server;
using OrleansDynamo.Tests;

namespace OrleansDynamo.Api.Tests.Protocol;

/// <summary>
/// The web console at <c>/console</c> on the admin port, driven in a real headless Chromium: create a table, add an
/// item, find it with a query, edit it (checked through the AWS SDK); sign-in with <c>--auth sigv4</c>; and requests
/// without the page's anti-forgery token refused. Screenshots go to <c>screenshots/</c> beside the test assembly.
/// </summary>
public sealed class ConsoleTests
{
    private static readonly HttpClient Http = new();
    private static readonly string Screenshots = Path.Combine(AppContext.BaseDirectory, "screenshots");

    [Fact]
    public async Task A_table_is_created_an_item_added_found_and_edited_in_the_console()
    {
        var app = await StartAsync();
        try
        {
            await using var browser = await RealBrowser.LaunchAsync();
            var page = await browser.Browser.NewPageAsync(new() { ViewportSize = new() { Width = 1280, Height = 900 } });
            await page.GotoAsync(new Uri(ServerHost.GetAdminEndpoint(app), "/console").ToString());

            await page.GetByLabel("Table name").FillAsync("console-music");
            await page.GetByLabel("Partition key", new() { Exact = true }).FillAsync("Artist");
            await page.GetByLabel("Sort key (optional)").FillAsync("Song");
            await page.GetByRole(AriaRole.Button, new() { Name = "Create table" }).ClickAsync();
            await page.Locator("li[data-table='console-music']").WaitForAsync();
            await Assertions.Expect(page.Locator("#table-name")).ToHaveTextAsync("console-music");

            await page.GetByRole(AriaRole.Button, new() { Name = "New item" }).ClickAsync();
            await page.GetByLabel("Item", new() { Exact = true }).FillAsync("""{"Artist": "Nina Simone", "Song": "Sinnerman", "Year": 1965}""");
            await page.GetByRole(AriaRole.Button, new() { Name = "Save item" }).ClickAsync();
            await Assertions.Expect(page.Locator("#message")).ToHaveTextAsync("Saved the item");
            await page.ScreenshotAsync(new() { Path = Path.Combine(Screenshots, "console-item-added.png") });

            await page.GetByLabel("Search").SelectOptionAsync("query");
            await page.Locator("#query-pk").FillAsync("Nina Simone");
            await page.Locator("#add-filter").ClickAsync();
            await page.GetByLabel("Filter attribute").FillAsync("Year");
            await page.GetByLabel("Filter condition").SelectOptionAsync(">=");
            await page.GetByLabel("Filter value").FillAsync("1960");
            await page.GetByRole(AriaRole.Button, new() { Name = "Run" }).ClickAsync();
            var row = page.Locator("#items tbody tr", new() { HasText = "Sinnerman" });
            await Assertions.Expect(row).ToHaveCountAsync(1);
            await Assertions.Expect(page.Locator("#search-status")).ToHaveTextAsync("1 item(s), 1 read");
            await page.ScreenshotAsync(new() { Path = Path.Combine(Screenshots, "console-query.png"), FullPage = true });

            await row.ClickAsync();
            var editor = page.GetByLabel("Item", new() { Exact = true });
            await Assertions.Expect(editor).ToHaveValueAsync(new System.Text.RegularExpressions.Regex("\"Year\": 1965"));
            await editor.FillAsync((await editor.InputValueAsync()).Replace("1965", "1966"));
            await page.GetByRole(AriaRole.Button, new() { Name = "Save item" }).ClickAsync();
            await Assertions.Expect(page.Locator("#items tbody tr", new() { HasText = "1966" })).ToHaveCountAsync(1);

            using var client = ServerFixture.CreateClient(ServerHost.GetEndpoint(app));
            var stored = await client.GetItemAsync("console-music", new() { ["Artist"] = new("Nina Simone"), ["Song"] = new("Sinnerman") });
            Assert.Equal("1966", stored.Item["Year"].N);

            // The partition map lists the table's partitions with their items.
            await Assertions.Expect(page.Locator("#partitions tbody tr", new() { HasText = "console-music" }).First).ToBeVisibleAsync();
            await page.ScreenshotAsync(new() { Path = Path.Combine(Screenshots, "console.png"), FullPage = true });
        }
        finally
        {
            await StopAsync(app);
        }
    }

    [Fact]
    public async Task With_sigv4_the_console_signs_in_with_a_principals_keys()
    {
        var credentials = Path.Combine(Path.GetTempPath(), $"odyn-console-credentials-{Guid.NewGuid():N}.json");
        await File.WriteAllTextAsync(credentials, """
            {"principals": [{"name": "operator", "accessKeyId": "AKIDCONSOLE", "secretAccessKey": "console-secret",
              "policy": {"Statement": [{"Effect": "Allow", "Action": ["dynamodb:*", "odyn:Admin"], "Resource": "*"}]}}]}
            """);
        var app = await StartAsync("--auth", "sigv4", "--credentials-file", credentials);
        try
        {
            await using var browser = await RealBrowser.LaunchAsync();
            var page = await browser.Browser.NewPageAsync();
            await page.GotoAsync(new Uri(ServerHost.GetAdminEndpoint(app), "/console").ToString());
            await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Sign in" })).ToBeVisibleAsync();
            Assert.False(await page.Locator("#app").IsVisibleAsync());

            await page.GetByLabel("Access key id").FillAsync("AKIDCONSOLE");
            await page.GetByLabel("Secret access key").FillAsync("wrong");
            await page.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();
            await Assertions.Expect(page.Locator("#message")).ToContainTextAsync("UnrecognizedClientException");

            await page.GetByLabel("Secret access key").FillAsync("console-secret");
            await page.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();
            await Assertions.Expect(page.Locator("#who")).ToHaveTextAsync("signed in as operator");
            await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Tables" })).ToBeVisibleAsync();
        }
        finally
        {
            await StopAsync(app);
            File.Delete(credentials);
        }
    }

    [Fact]
    public async Task A_request_without_the_pages_anti_forgery_token_is_refused()
    {
        var app = await StartAsync();
        try
        {
            var admin = ServerHost.GetAdminEndpoint(app);
            // What another site's form could send: no token header, no token cookie.
            using var forged = new HttpRequestMessage(HttpMethod.Post, new Uri(admin, "/console/api")) { Content = new StringContent("{}", Encoding.UTF8, "application/json") };
            forged.Headers.TryAddWithoutValidation("X-Amz-Target", "DynamoDB_20120810.ListTables");
            using var refused = await Http.SendAsync(forged);
            Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
            Assert.Contains("AccessDeniedException", await refused.Content.ReadAsStringAsync());

            // The page's own token (its cookie, repeated in the header) passes.
            using var pageResponse = await Http.GetAsync(new Uri(admin, "/console"));
            var cookie = pageResponse.Headers.GetValues("Set-Cookie").Single(c => c.StartsWith("odyn-csrf=", StringComparison.Ordinal));
            Assert.Contains("samesite=strict", cookie, StringComparison.OrdinalIgnoreCase);
            var token = cookie["odyn-csrf=".Length..cookie.IndexOf(';')];
            using var allowed = new HttpRequestMessage(HttpMethod.Post, new Uri(admin, "/console/api")) { Content = new StringContent("{}", Encoding.UTF8, "application/json") };
            allowed.Headers.TryAddWithoutValidation("X-Amz-Target", "DynamoDB_20120810.ListTables");
            allowed.Headers.TryAddWithoutValidation("X-Odyn-Csrf", token);
            allowed.Headers.TryAddWithoutValidation("Cookie", "odyn-csrf=" + token);
            using var answered = await Http.SendAsync(allowed);
            Assert.Equal(HttpStatusCode.OK, answered.StatusCode);
            Assert.Contains("TableNames", await answered.Content.ReadAsStringAsync());
        }
        finally
        {
            await StopAsync(app);
        }
    }

    private static async Task<WebApplication> StartAsync(params string[] arguments)
    {
        var app = ServerHost.Build(["--port", "0", "--silo-port", ServerFixture.FreePort().ToString(), "--gateway-port", ServerFixture.FreePort().ToString(),
            "--admin-port", "0", "--in-memory", .. arguments]);
        await app.StartAsync();
        return app;
    }

    private static async Task StopAsync(WebApplication app)
    {
        await app.StopAsync();
        await app.DisposeAsync();
    }
}
