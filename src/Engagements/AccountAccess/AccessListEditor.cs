using System.Net.Mail;
using System.Text.Json.Nodes;
using Engagements.Audit;
using Engagements.Cards;
using Engagements.Customers;
using Engagements.Data;
using Microsoft.EntityFrameworkCore;

namespace Engagements.AccountAccess;

/// <summary>The fields of the access-list form, as Teams sends them back in the action data (all strings).</summary>
public sealed record AccessEntryForm(
    string? System, string? ContactTo, string? Cc, string? Method, string? CustomSubject, string? OtherRequirements, string? ExpectedDays);

/// <summary>Seed 002's Customer Access List, maintained by team leads through cards (the intake webhook may also import it).</summary>
public sealed class AccessListEditor(EngagementsDb db, AuditLog audit, CardCatalog cards)
{
    public async Task<JsonObject?> ListCardAsync(Guid customerId, string? notice, CancellationToken cancellationToken)
    {
        var customer = await db.Customers.AsNoTracking().Include(c => c.AccessList).SingleOrDefaultAsync(c => c.Id == customerId, cancellationToken);
        return customer is null ? null : cards.Render("access-list", new
        {
            customerId = customer.Id,
            customer = customer.Name,
            notice,
            entries = customer.AccessList.OrderBy(e => e.System, StringComparer.OrdinalIgnoreCase).Select(e => new
            {
                id = e.Id,
                system = e.System,
                method = e.Method.MethodText(),
                to = e.ContactTo,
                cc = e.Cc.Count == 0 ? "—" : string.Join(", ", e.Cc),
                subject = string.IsNullOrWhiteSpace(e.CustomSubject) ? "standard subject" : e.CustomSubject,
                requirements = e.OtherRequirements ?? "",
                expectedDays = e.ExpectedDaysToCreate,
            }),
        });
    }

    /// <summary>The form for one entry, or for a new one when entryId is null.</summary>
    public async Task<JsonObject?> FormCardAsync(Guid customerId, Guid? entryId, CancellationToken cancellationToken)
    {
        var customer = await db.Customers.AsNoTracking().SingleOrDefaultAsync(c => c.Id == customerId, cancellationToken);
        if (customer is null)
        {
            return null;
        }

        AccessListEntry? entry = null;
        if (entryId is { } id)
        {
            entry = await db.AccessListEntries.AsNoTracking().SingleOrDefaultAsync(e => e.Id == id && e.CustomerId == customerId, cancellationToken);
            if (entry is null)
            {
                return null;
            }
        }

        var form = entry is null
            ? new AccessEntryForm("", "", "", "email", "", "", "5")
            : new AccessEntryForm(entry.System, entry.ContactTo, string.Join(", ", entry.Cc), entry.Method.MethodText(), entry.CustomSubject ?? "", entry.OtherRequirements ?? "", entry.ExpectedDaysToCreate.ToString(System.Globalization.CultureInfo.InvariantCulture));
        return FormCard(customer, entryId, form, []);
    }

    public sealed record SaveResult(JsonObject Card, bool Saved);

    public async Task<SaveResult?> SaveAsync(Guid customerId, Guid? entryId, AccessEntryForm form, AuditActor actor, CancellationToken cancellationToken)
    {
        var customer = await db.Customers.Include(c => c.AccessList).SingleOrDefaultAsync(c => c.Id == customerId, cancellationToken);
        var entry = entryId is { } id ? customer?.AccessList.SingleOrDefault(e => e.Id == id) : null;
        if (customer is null || (entryId is not null && entry is null))
        {
            return null;
        }

        var (values, errors) = Validate(form);
        if (values is not null && customer.AccessList.Any(e => e.Id != entryId && e.System.Equals(values.System, StringComparison.OrdinalIgnoreCase)))
        {
            errors.Add($"System: {customer.Name} already has an entry for \"{values.System}\".");
        }

        if (values is null || errors.Count > 0)
        {
            return new SaveResult(FormCard(customer, entryId, form, errors), false);
        }

        var before = entry is null ? null : Snapshot(entry);
        if (entry is null)
        {
            entry = new AccessListEntry { CustomerId = customer.Id, System = values.System, ContactTo = values.ContactTo };
            customer.AccessList.Add(entry);
        }

        entry.System = values.System;
        entry.ContactTo = values.ContactTo;
        entry.Cc = [.. values.Cc];
        entry.Method = values.Method;
        entry.CustomSubject = values.CustomSubject;
        entry.OtherRequirements = values.OtherRequirements;
        entry.ExpectedDaysToCreate = values.ExpectedDays;
        audit.Record(actor, AuditSource.Card, before is null ? "access-list-entry-added" : "access-list-entry-changed",
            nameof(AccessListEntry), entry.Id.ToString(), before, Snapshot(entry));
        await db.SaveChangesAsync(cancellationToken);
        return new SaveResult((await ListCardAsync(customer.Id, $"Saved {entry.System}.", cancellationToken))!, true);
    }

    private sealed record ValidEntry(string System, string ContactTo, string[] Cc, CommunicationMethod Method, string? CustomSubject, string? OtherRequirements, int ExpectedDays);

    private static (ValidEntry? Entry, List<string> Errors) Validate(AccessEntryForm form)
    {
        var errors = new List<string>();
        var system = form.System?.Trim() ?? "";
        if (system.Length is 0 or > 100)
        {
            errors.Add("System: required, at most 100 characters.");
        }

        var to = form.ContactTo?.Trim() ?? "";
        if (!IsAddress(to))
        {
            errors.Add("To: one valid email address is required.");
        }

        var cc = (form.Cc ?? "").Split([',', ';', ' ', '\n'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        foreach (var address in cc.Where(a => !IsAddress(a)))
        {
            errors.Add($"CC: \"{address}\" is not an email address.");
        }

        if (cc.Length > 20)
        {
            errors.Add("CC: at most 20 addresses.");
        }

        CommunicationMethod? method = form.Method?.Trim().ToLowerInvariant() switch
        {
            "email" => CommunicationMethod.Email,
            "ticket" => CommunicationMethod.Ticket,
            _ => null,
        };
        if (method is null)
        {
            errors.Add("Method: email or ticket.");
        }

        var subject = NullIfBlank(form.CustomSubject);
        if (subject is { Length: > 300 })
        {
            errors.Add("Custom subject: at most 300 characters.");
        }

        var requirements = NullIfBlank(form.OtherRequirements);
        if (requirements is { Length: > 1000 })
        {
            errors.Add("Other requirements: at most 1000 characters.");
        }

        if (!int.TryParse(form.ExpectedDays?.Trim(), System.Globalization.NumberStyles.Integer, System.Globalization.CultureInfo.InvariantCulture, out var days) || days is < 1 or > 90)
        {
            errors.Add("Expected days: a whole number of business days from 1 to 90.");
        }

        return errors.Count > 0 ? (null, errors) : (new ValidEntry(system, to, cc, method!.Value, subject, requirements, days), errors);
    }

    private static bool IsAddress(string text) =>
        text.Length is > 0 and <= 320 && MailAddress.TryCreate(text, out var parsed) && parsed.Address == text && parsed.DisplayName.Length == 0;

    private static string? NullIfBlank(string? text) => string.IsNullOrWhiteSpace(text) ? null : text.Trim();

    private static object Snapshot(AccessListEntry e) => new
    {
        e.System, e.ContactTo, e.Cc, method = e.Method.MethodText(), e.CustomSubject, e.OtherRequirements, e.ExpectedDaysToCreate,
    };

    private JsonObject FormCard(Customer customer, Guid? entryId, AccessEntryForm form, IReadOnlyList<string> errors) => cards.Render("access-list-entry", new
    {
        customerId = customer.Id,
        entryId = entryId?.ToString() ?? "",
        customer = customer.Name,
        heading = entryId is null ? "Add a system" : "Edit " + form.System,
        errors = errors.Count == 0 ? null : string.Join("\n", errors.Select(e => "- " + e)),
        system = form.System ?? "",
        contactTo = form.ContactTo ?? "",
        cc = form.Cc ?? "",
        method = (form.Method ?? "email").ToLowerInvariant(),
        customSubject = form.CustomSubject ?? "",
        otherRequirements = form.OtherRequirements ?? "",
        expectedDays = form.ExpectedDays ?? "5",
    });
}
