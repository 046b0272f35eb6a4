using System.Linq.Expressions;
using System.Text.Json;
using Karibu.Common;
using Karibu.Features.Conversations;
using Karibu.Features.Customers;
using Karibu.Features.Organizations;
using Karibu.Features.Scheduling;
using Karibu.Features.Services;
using Karibu.Features.Staff;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.ChangeTracking;
using Microsoft.EntityFrameworkCore.Metadata.Conventions;
using Microsoft.EntityFrameworkCore.Storage.ValueConversion;

namespace Karibu.Data;

/// <summary>
/// The one DbContext, on SQLite (embedded default) or PostgreSQL. Migrations are hand-written in
/// Data/Migrations (EF's design-time package does not restore here) and provider-neutral: column
/// types come from each provider's mapping of the CLR type. SchemaConformanceTests guards them.
/// </summary>
internal sealed class KaribuDb(DbContextOptions<KaribuDb> options, ITenantContext tenant) : DbContext(options)
{
    public const string TenantFilter = "Tenant";

    /// <summary>
    /// <see cref="TenantFilter"/> as the list <c>IgnoreQueryFilters</c> takes. A field, not <c>[TenantFilter]</c> written in
    /// the query: an expression tree cannot hold a collection expression (compiled queries), and EF reads a static
    /// field on each run more cheaply than it evaluates an inline list.
    /// </summary>
    public static readonly IReadOnlyCollection<string> TenantFilterOnly = [TenantFilter];

    /// <summary>Read by the tenant query filter each time a query runs on this context.</summary>
    internal Guid? CurrentOrganizationId => tenant.OrganizationId;

    public DbSet<Organization> Organizations => Set<Organization>();
    public DbSet<Location> Locations => Set<Location>();
    public DbSet<StaffMember> Staff => Set<StaffMember>();
    public DbSet<Service> Services => Set<Service>();
    public DbSet<Person> People => Set<Person>();
    public DbSet<Customer> Customers => Set<Customer>();
    public DbSet<AvailabilityRule> AvailabilityRules => Set<AvailabilityRule>();
    public DbSet<Appointment> Appointments => Set<Appointment>();
    public DbSet<Conversation> Conversations => Set<Conversation>();
    public DbSet<Message> Messages => Set<Message>();
    public DbSet<ApiKey> ApiKeys => Set<ApiKey>();
    public DbSet<AuditEvent> AuditEvents => Set<AuditEvent>();
    public DbSet<ChannelAccount> ChannelAccounts => Set<ChannelAccount>();
    public DbSet<IdempotencyRecord> IdempotencyRecords => Set<IdempotencyRecord>();
    public DbSet<DataProtectionKey> DataProtectionKeys => Set<DataProtectionKey>();
    public DbSet<Karibu.Features.Messaging.InboxEvent> InboxEvents => Set<Karibu.Features.Messaging.InboxEvent>();
    public DbSet<Karibu.Features.Faq.FaqEntry> FaqEntries => Set<Karibu.Features.Faq.FaqEntry>();
    public DbSet<Karibu.Features.Notifications.MessageTemplate> MessageTemplates => Set<Karibu.Features.Notifications.MessageTemplate>();
    public DbSet<Karibu.Features.Notifications.SentNotice> SentNotices => Set<Karibu.Features.Notifications.SentNotice>();
    public DbSet<Karibu.Features.Retention.Visit> Visits => Set<Karibu.Features.Retention.Visit>();
    public DbSet<Karibu.Features.Payments.Payment> Payments => Set<Karibu.Features.Payments.Payment>();
    public DbSet<Karibu.Features.Accounts.SignInCode> SignInCodes => Set<Karibu.Features.Accounts.SignInCode>();
    public DbSet<BusinessPhoto> BusinessPhotos => Set<BusinessPhoto>();
    public DbSet<Karibu.Features.BookingPage.BookingCode> BookingCodes => Set<Karibu.Features.BookingPage.BookingCode>();

    protected override void ConfigureConventions(ModelConfigurationBuilder configurationBuilder)
    {
        configurationBuilder.Properties<DateTime>().HaveConversion<UtcDateTimeConverter>();
        configurationBuilder.Properties<DateTime?>().HaveConversion<UtcDateTimeConverter>();
        // EF would add an index per foreign key column; ours lead with organization_id instead, and
        // each entity declares the ones its queries need.
        configurationBuilder.Conventions.Remove<ForeignKeyIndexConvention>();
    }

    /// <summary>
    /// Saves without EF Core's automatic savepoint, for saves inside a transaction that is abandoned
    /// whole if the save fails: the savepoint would only add two round trips.
    /// </summary>
    public async Task SaveWithoutSavepointAsync(CancellationToken ct)
    {
        var automatic = Database.AutoSavepointsEnabled;
        Database.AutoSavepointsEnabled = false;
        try
        {
            await SaveChangesAsync(ct);
        }
        finally
        {
            Database.AutoSavepointsEnabled = automatic;
        }
    }

    protected override void OnModelCreating(ModelBuilder modelBuilder)
    {
        modelBuilder.ApplyConfigurationsFromAssembly(typeof(KaribuDb).Assembly);

        modelBuilder.Entity<Organization>().HasQueryFilter(TenantFilter, o => o.Id == CurrentOrganizationId);
        foreach (var type in modelBuilder.Model.GetEntityTypes().Where(t => typeof(ITenantOwned).IsAssignableFrom(t.ClrType)))
        {
            var entity = Expression.Parameter(type.ClrType, "e");
            var self = Expression.Constant(this);
            var filter = Expression.Lambda(
                Expression.Equal(
                    Expression.Convert(Expression.Property(entity, nameof(ITenantOwned.OrganizationId)), typeof(Guid?)),
                    Expression.Property(self, nameof(CurrentOrganizationId))),
                entity);
            modelBuilder.Entity(type.ClrType).HasQueryFilter(TenantFilter, filter);
        }

        ApplyStorageConventions(modelBuilder);
    }

    /// <summary>snake_case names, enums as snake_case text, lists as JSON text: the same on both providers.</summary>
    private static void ApplyStorageConventions(ModelBuilder modelBuilder)
    {
        static string Snake(string name) => JsonNamingPolicy.SnakeCaseLower.ConvertName(name);

        foreach (var type in modelBuilder.Model.GetEntityTypes())
        {
            var table = type.GetTableName()!;
            foreach (var property in type.GetProperties())
            {
                property.SetColumnName(Snake(property.Name));
                var clr = Nullable.GetUnderlyingType(property.ClrType) ?? property.ClrType;
                if (clr.IsEnum)
                {
                    property.SetValueConverter((ValueConverter)Activator.CreateInstance(typeof(SnakeCaseEnumConverter<>).MakeGenericType(clr))!);
                    property.SetMaxLength(32);
                }
                else if (clr == typeof(List<string>))
                {
                    property.SetValueConverter(JsonListConverter<string>.Instance);
                    property.SetValueComparer(JsonListConverter<string>.Comparer);
                    property.SetMaxLength(Limits.Text);
                }
                else if (clr == typeof(List<Guid>))
                {
                    property.SetValueConverter(JsonListConverter<Guid>.Instance);
                    property.SetValueComparer(JsonListConverter<Guid>.Comparer);
                    property.SetMaxLength(Limits.Text * 4);
                }
            }

            type.FindPrimaryKey()?.SetName($"pk_{table}");
            foreach (var fk in type.GetForeignKeys())
            {
                fk.SetConstraintName($"fk_{table}_{fk.PrincipalEntityType.GetTableName()}_{string.Join("_", fk.Properties.Select(p => Snake(p.Name)))}");
            }

            foreach (var index in type.GetIndexes())
            {
                if (index.Name is not null)
                {
                    index.SetDatabaseName(index.Name); // A named index (e.g. a filtered twin of another) keeps its name.
                    continue;
                }

                index.SetDatabaseName($"{(index.IsUnique ? "ux" : "ix")}_{table}_{string.Join("_", index.Properties.Select(p => Snake(p.Name)))}");
            }
        }
    }
}

internal sealed class SnakeCaseEnumConverter<T>() : ValueConverter<T, string>(
    v => EnumNames.ToName(v), s => EnumNames.Parse<T>(s)) where T : struct, Enum;

internal static class JsonListConverter<T>
{
    public static readonly ValueConverter<List<T>, string> Instance = new(
        v => JsonSerializer.Serialize(v, JsonColumn.Options),
        s => JsonSerializer.Deserialize<List<T>>(s, JsonColumn.Options) ?? new List<T>());

    public static readonly ValueComparer<List<T>> Comparer = new(
        (a, b) => a == null ? b == null : b != null && a.SequenceEqual(b),
        v => v.Aggregate(0, (h, x) => HashCode.Combine(h, x)),
        v => v.ToList());
}
