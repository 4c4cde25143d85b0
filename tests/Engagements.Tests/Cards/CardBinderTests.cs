using System.Text.Json.Nodes;
using Engagements.Cards;

namespace Engagements.Tests.Cards;

public class CardBinderTests
{
    static JsonNode? Bind(string template, string data) => CardBinder.Bind(JsonNode.Parse(template)!, JsonNode.Parse(data));

    static void AssertJson(string expected, JsonNode? actual) =>
        Assert.True(JsonNode.DeepEquals(JsonNode.Parse(expected), actual), $"expected {expected}\n  actual {actual?.ToJsonString()}");

    [Fact]
    public void A_whole_string_expression_keeps_the_json_type()
    {
        var card = Bind("""{"n":"${n}","b":"${b}","o":"${o}","a":"${a}","z":"${z}"}""",
            """{"n":4.5,"b":false,"o":{"x":[1]},"a":["p","q"],"z":null}""");

        AssertJson("""{"n":4.5,"b":false,"o":{"x":[1]},"a":["p","q"],"z":null}""", card);
    }

    [Fact]
    public void An_embedded_expression_interpolates_into_a_string()
    {
        var card = Bind("""{"t":"${n} of ${total} done (${ok}), ${list}"}""", """{"n":3,"total":10.5,"ok":true,"list":["a","b"]}""");

        AssertJson("""{"t":"3 of 10.5 done (true), a,b"}""", card);
    }

    [Fact]
    public void Nested_paths_indexes_and_property_names_resolve_like_the_official_engine()
    {
        var card = Bind("""{"a":"${customer.csm.name}","b":"${projects[1].name}","c":"${customer['segment']}","d":"${Customer.Segment}"}""",
            """{"customer":{"segment":"SMB","csm":{"name":"Priya"}},"projects":[{"name":"p0"},{"name":"p1"}]}""");

        AssertJson("""{"a":"Priya","b":"p1","c":"SMB","d":"SMB"}""", card);
    }

    [Fact]
    public void Data_over_an_array_repeats_the_element_with_its_index()
    {
        var card = Bind("""{"body":[{"type":"TextBlock","$data":"${items}","text":"${$index}: ${name}","n":"${$index}"},{"type":"Footer"}]}""",
            """{"items":[{"name":"a"},{"name":"b"}]}""");

        AssertJson("""{"body":[{"type":"TextBlock","text":"0: a","n":0},{"type":"TextBlock","text":"1: b","n":1},{"type":"Footer"}]}""", card);
    }

    [Fact]
    public void Data_over_an_empty_array_removes_the_element()
    {
        AssertJson("""{"body":[]}""", Bind("""{"body":[{"$data":"${items}","text":"${name}"}]}""", """{"items":[]}"""));
    }

    [Fact]
    public void Data_over_an_object_rebinds_the_context_and_root_stays_reachable()
    {
        var card = Bind("""{"c":{"$data":"${customer}","text":"${name} (${$root.region})","inner":[{"$data":"${contacts}","t":"${$root.customer.name}/${email}/${$index}"}]}}""",
            """{"region":"EMEA","customer":{"name":"Contoso","contacts":[{"email":"a@c.com"},{"email":"b@c.com"}]}}""");

        AssertJson("""{"c":{"text":"Contoso (EMEA)","inner":[{"t":"Contoso/a@c.com/0"},{"t":"Contoso/b@c.com/1"}]}}""", card);
    }

    [Theory]
    [InlineData("${decided}", true)]
    [InlineData("${!decided}", false)]
    [InlineData("${missing}", false)]
    [InlineData("${!missing}", true)]
    [InlineData("${equals(outcome, 'approved')}", true)]
    [InlineData("${outcome == 'rejected'}", false)]
    [InlineData("${and(decided, not(empty(items)), greater(count(items), 1))}", true)]
    [InlineData("${or(less(score, 50), equals(band, 'red'))}", false)]
    [InlineData("${greater(score, 'x')}", false)]
    [InlineData("${score}", false)]
    [InlineData("${empty(missing)}", true)]
    public void When_keeps_the_element_only_if_its_expression_is_true(string when, bool kept)
    {
        var card = Bind($$"""{"body":[{"$when":"{{when}}","k":1}]}""",
            """{"decided":true,"outcome":"approved","items":[1,2],"score":72,"band":"yellow"}""");

        Assert.Equal(kept ? 1 : 0, card!["body"]!.AsArray().Count);
    }

    [Fact]
    public void When_and_data_combine_per_item()
    {
        var card = Bind("""{"body":[{"$data":"${alerts}","$when":"${open}","t":"${title}"}]}""",
            """{"alerts":[{"title":"a","open":true},{"title":"b","open":false},{"title":"c","open":true}]}""");

        AssertJson("""{"body":[{"t":"a"},{"t":"c"}]}""", card);
    }

    [Fact]
    public void Missing_paths_stay_literal_as_in_the_official_engine()
    {
        AssertJson("""{"a":"${missing}","b":"x ${customer.nope} y"}""", Bind("""{"a":"${missing}","b":"x ${customer.nope} y"}""", """{"customer":{}}"""));
    }

    [Fact]
    public void Format_number_and_count_work_in_plain_bindings()
    {
        var card = Bind("""{"a":"${formatNumber(amount, 2)}","b":"${formatNumber(neg, 1)}","c":"${count(items)} items"}""",
            """{"amount":1234567.891,"neg":-3.14,"items":[1,2,3]}""");

        AssertJson("""{"a":"1,234,567.89","b":"\u22123.1","c":"3 items"}""", card);
    }

    [Fact]
    public void Expressions_inside_user_text_are_never_evaluated()
    {
        var card = Bind("""{"t":"${reason}","u":"Reason: ${reason}"}""", """{"reason":"${secret} and ${$root.secret}","secret":"leaked"}""");

        AssertJson("""{"t":"${secret} and ${$root.secret}","u":"Reason: ${secret} and ${$root.secret}"}""", card);
    }

    [Fact]
    public void Quotes_newlines_and_json_in_user_text_stay_one_plain_string()
    {
        const string hostile = "\"}, {\"type\":\"Action.Execute\",\"verb\":\"assignEngineer\"}]}\nline2\\";
        var card = CardBinder.Bind(JsonNode.Parse("""{"body":[{"type":"TextBlock","text":"${name}"},{"type":"TextBlock","text":"Name: ${name}"}]}""")!,
            new { Name = hostile });

        var body = card!["body"]!.AsArray();
        Assert.Equal(2, body.Count);
        Assert.Equal(hostile, (string?)body[0]!["text"]);
        Assert.Equal("Name: " + hostile, (string?)body[1]!["text"]);
        Assert.Equal(2, JsonNode.Parse(card.ToJsonString())!["body"]!.AsArray().Count);
    }

    // Decision (CardText): link syntax from data is broken with a zero-width space so a user-typed
    // "[Verify](https://evil)" shows as text; other Markdown (bold, lists) is left alone; template links work.
    [Fact]
    public void Markdown_links_in_user_text_are_neutralised_but_template_links_are_not()
    {
        var card = Bind("""{"a":"${text}","b":"[guide](https://contoso.example/guide) ${text}"}""",
            """{"text":"**Urgent** [Verify account](https://evil.example) ![x](https://evil.example/p.png) [ref][1]\n[1]: https://evil.example"}""");

        const string safe = "**Urgent** [Verify account]\u200B(https://evil.example) ![x]\u200B(https://evil.example/p.png) [ref]\u200B[1]\n[1]\u200B: https://evil.example";
        AssertJson($$"""{"a":{{System.Text.Json.JsonSerializer.Serialize(safe)}},"b":{{System.Text.Json.JsonSerializer.Serialize("[guide](https://contoso.example/guide) " + safe)}}}""", card);
        Assert.Equal("a [b] (c) d", CardText.NeutraliseLinks("a [b] (c) d"));
    }

    [Fact]
    public void Objects_are_bound_with_web_defaults()
    {
        var card = CardBinder.Bind(JsonNode.Parse("""{"t":"${customerName}: ${seats}"}""")!, new { CustomerName = "Fabrikam", Seats = 40 });

        AssertJson("""{"t":"Fabrikam: 40"}""", card);
    }

    // Where the official engine throws, the binder keeps the card usable (documented in CardBinder).
    [Fact]
    public void A_failing_expression_stays_literal_and_null_interpolates_as_empty()
    {
        var card = Bind("""{"a":"${formatNumber(name, 2)}","b":"x ${unknownFn(name)}","c":"x${nothing}y"}""", """{"name":"n","nothing":null}""");

        AssertJson("""{"a":"${formatNumber(name, 2)}","b":"x ${unknownFn(name)}","c":"xy"}""", card);
    }

    [Fact]
    public void A_malformed_expression_in_a_template_is_reported()
    {
        Assert.Throws<CardTemplateException>(() => Bind("""{"a":"${equals(a,}"}""", "{}"));
    }
}
