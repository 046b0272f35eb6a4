using Karibu.Web;

namespace Karibu.Features.Staff;

/// <summary>How the owner app names roles and permissions.</summary>
internal static class StaffTexts
{
    public static string Role(OwnerSession s, StaffRole role) =>
        role == StaffRole.Owner ? s.T("Dueño", "Owner", "Mmiliki") : s.T("Empleado", "Employee", "Mfanyakazi");

    public static string Permission(OwnerSession s, string permission) => permission switch
    {
        "view_all_schedules" => s.T("Ver la agenda de todos", "See everyone's schedule", "Kuona ratiba ya kila mtu"),
        "manage_appointments" => s.T("Agendar, mover y cancelar citas", "Book, move and cancel appointments", "Kupanga, kuhamisha na kughairi miadi"),
        "manage_customers" => s.T("Editar clientes", "Edit customers", "Kuhariri wateja"),
        "message_customers" => s.T("Escribir a clientes", "Message customers", "Kuwaandikia wateja"),
        "manage_services" => s.T("Cambiar servicios y precios", "Change services and prices", "Kubadilisha huduma na bei"),
        "manage_staff" => s.T("Administrar el equipo", "Manage the team", "Kusimamia wafanyakazi"),
        "manage_settings" => s.T("Cambiar ajustes del negocio", "Change business settings", "Kubadilisha mipangilio ya biashara"),
        "view_reports" => s.T("Ver reportes", "See reports", "Kuona ripoti"),
        _ => permission,
    };
}
