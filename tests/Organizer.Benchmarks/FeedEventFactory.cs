using Organizer.Application.Common.Models;
using Organizer.Application.Feeds;
using Organizer.Domain.Common;
using Organizer.Domain.Events;

namespace Organizer.Benchmarks;

/// <summary>
/// Makes feed events that look like the ones RenderFeedQueryHandler loads: all-day and timed events in several
/// IANA zones, places with addresses and coordinates, 1–4 organizations in different roles, tags, demands, a
/// description of a few hundred characters, 1–2 quoted sources, and sessions that point at their assembly.
/// The same seed always gives the same events.
/// </summary>
public static class FeedEventFactory
{
    private sealed record City(string Name, string? Region, string CountryCode, string Zone, double Latitude, double Longitude, string[] Venues, string[] Streets);

    private static readonly City[] Cities =
    [
        new("Toronto", "Ontario", "CA", "America/Toronto", 43.6532, -79.3832,
            ["Nathan Phillips Square", "Queen's Park", "Matt Cohen Park", "Christie Pits", "Steelworkers Hall", "Metro Hall"],
            ["Queen Street West", "Bloor Street West", "College Street", "Spadina Avenue", "Dundas Street East"]),
        new("Montréal", "Québec", "CA", "America/Toronto", 45.5019, -73.5674,
            ["Place du Canada", "Parc Jarry", "Carré Phillips", "Centre St-Pierre", "Place Émilie-Gamelin"],
            ["rue Sainte-Catherine Est", "boulevard Saint-Laurent", "rue Sherbrooke Ouest", "avenue du Mont-Royal"]),
        new("Ottawa", "Ontario", "CA", "America/Toronto", 45.4215, -75.6972,
            ["Parliament Hill", "Confederation Park", "Minto Park", "Jack Purcell Community Centre"],
            ["Wellington Street", "Elgin Street", "Bank Street", "Rideau Street"]),
        new("Vancouver", "British Columbia", "CA", "America/Vancouver", 49.2827, -123.1207,
            ["Vancouver Art Gallery North Plaza", "Grandview Park", "Victory Square", "Chinatown Plaza"],
            ["Hornby Street", "Commercial Drive", "East Hastings Street", "Main Street"]),
        new("Lima", "Lima", "PE", "America/Lima", -12.0464, -77.0428,
            ["Plaza San Martín", "Plaza Dos de Mayo", "Parque Universitario", "Casa de la Cultura"],
            ["Jirón de la Unión", "Avenida Abancay", "Avenida Nicolás de Piérola", "Jirón Lampa"]),
        new("Bogotá", "Cundinamarca", "CO", "America/Bogota", 4.7110, -74.0721,
            ["Plaza de Bolívar", "Parque Nacional", "Universidad Nacional, Plaza Che"],
            ["Carrera Séptima", "Avenida Jiménez", "Calle 26"]),
        new("Berlin", "Berlin", "DE", "Europe/Berlin", 52.5200, 13.4050,
            ["Alexanderplatz", "Oranienplatz", "Brandenburger Tor", "Rotes Rathaus", "Mehringhof"],
            ["Karl-Marx-Allee", "Oranienstraße", "Unter den Linden", "Gneisenaustraße"]),
        new("London", null, "GB", "Europe/London", 51.5072, -0.1276,
            ["Trafalgar Square", "Parliament Square", "Conway Hall", "Russell Square"],
            ["Whitehall", "Red Lion Square", "Euston Road", "Mile End Road"]),
        new("Manila", "Metro Manila", "PH", "Asia/Manila", 14.5995, 120.9842,
            ["Liwasang Bonifacio", "Mendiola Peace Arch", "Plaza Miranda"],
            ["España Boulevard", "Recto Avenue", "Taft Avenue"]),
        new("Johannesburg", "Gauteng", "ZA", "Africa/Johannesburg", -26.2041, 28.0473,
            ["Mary Fitzgerald Square", "Library Gardens", "Cosatu House"],
            ["Jeppe Street", "Rissik Street", "Bree Street"]),
    ];

    private static readonly string[] OrganizationNames =
    [
        "Communist Party of Canada", "Young Communist League of Canada", "Toronto Association for Peace and Solidarity",
        "Latin American and Caribbean Support Network", "Canadian Union of Public Employees Local 79", "Ontario Coalition Against Poverty",
        "Parkdale Organize", "Migrante Canada", "BAYAN Canada", "International League of Peoples' Struggle",
        "Confédération des syndicats nationaux", "Solidarité sans frontières", "Frente de Defensa del Agua", "Confederación General de Trabajadores del Perú",
        "Mieter*innen-Initiative Kreuzberg", "Berliner Bündnis gegen Krieg", "Stop the War Coalition", "Palestine Solidarity Campaign",
        "Kilusang Mayo Uno", "Gabriela Women's Alliance", "Abahlali baseMjondolo", "South African Federation of Trade Unions",
        "Vancouver Tenants Union", "Climate Justice Ottawa", "Ottawa Peace Assembly", "Students for a Free Tibet",
        "Independent Jewish Voices", "No One Is Illegal", "Labour Against the Arms Trade", "Unión Patriótica",
    ];

    private static readonly string[] Tags =
    [
        "peace", "labour", "housing", "climate", "anti-imperialism", "solidarity", "migrant-justice", "indigenous-sovereignty",
        "palestine", "latin-america", "women", "youth", "anti-racism", "health-care", "transit", "water", "education",
    ];

    private static readonly string[] Demands =
    [
        "End the blockade now", "Withdraw from NATO", "Rent control for every unit", "Status for all",
        "A living wage of $25 an hour", "Stop the deportations", "No new pipelines on unceded land",
        "Free public transit", "Respect the results of the election", "Release all political prisoners",
        "Fund public health care, not war", "Land back", "Hands off Venezuela", "Defend the right to strike",
    ];

    private static readonly string[] Causes =
    [
        "Peace", "Tenants' Rights", "Public Transit", "Migrant Justice", "Climate Justice", "Workers' Rights",
        "Democracy in Bolivia", "Palestine", "Affordable Housing", "Water Justice", "Free Education", "Indigenous Sovereignty",
    ];

    private static readonly string[] Sentences =
    [
        "Organizers call on everyone who can to join and to bring banners, placards and friends.",
        "The action follows weeks of door-knocking and community meetings across the neighbourhood.",
        "Speakers from labour, student and community groups will address the crowd before the march sets off.",
        "Les organisateurs invitent la population à se joindre au rassemblement, beau temps mauvais temps.",
        "Se convoca a todas las organizaciones sociales a participar con sus banderas y pancartas.",
        "The route is wheelchair accessible; marshals will be wearing orange vests.",
        "A teach-in on the history of the campaign precedes the rally, with translation into Spanish and French.",
        "Bring water, dress for the weather, and know your rights: legal observers will be present.",
        "This is part of a coordinated day of action in more than twenty cities.",
        "Food and childcare are provided; please register so that we can plan for numbers.",
        "Die Kundgebung endet mit einem gemeinsamen Marsch zum Rathaus — kommt zahlreich!",
    ];

    private static readonly string[] Publications = ["People's Voice", "Toronto Star", "rabble.ca", "La Jornada", "neues deutschland", "Bulatlat", "Daily Maverick"];

    private static readonly string[] Authors = ["Staff", "M. Figueroa", "J. Chen", "A. Nkosi", "L. Tremblay", "R. Santos", "K. Weber"];

    private static readonly ParticipationRole[] ExtraRoles =
        [ParticipationRole.CoOrganizer, ParticipationRole.CoOrganizer, ParticipationRole.Participant, ParticipationRole.Endorser];

    private static readonly (EventKind Kind, int Weight)[] Kinds =
    [
        (EventKind.Rally, 30), (EventKind.Picket, 14), (EventKind.March, 12), (EventKind.Demonstration, 12), (EventKind.Vigil, 5),
        (EventKind.TeachIn, 5), (EventKind.Panel, 6), (EventKind.Workshop, 4), (EventKind.Assembly, 3), (EventKind.Conference, 2),
        (EventKind.Blockade, 2), (EventKind.OnlineAction, 3), (EventKind.Other, 2),
    ];

    /// <summary>Makes <paramref name="count"/> events ordered as the feed query orders them (by start, then id).</summary>
    public static List<FeedEvent> Create(int count, int seed = 20261125)
    {
        var random = new Random(seed);
        var events = new List<FeedEvent>(count);
        var assemblies = new List<Guid>();
        var totalKindWeight = Kinds.Sum(k => k.Weight);
        var firstDay = new DateOnly(2015, 1, 1);
        var days = new DateOnly(2027, 12, 31).DayNumber - firstDay.DayNumber;

        for (var i = 0; i < count; i++)
        {
            var id = NewGuid(random);
            var kind = PickKind(random, totalKindWeight);
            var city = Cities[random.Next(Cities.Length)];
            var day = firstDay.AddDays(random.Next(days));
            var schedule = Schedule(random, kind, day, city.Zone);
            var cause = Causes[random.Next(Causes.Length)];
            var title = $"{Title(kind)} for {cause}";

            var online = kind == EventKind.OnlineAction;
            var venue = city.Venues[random.Next(city.Venues.Length)];
            var address = $"{random.Next(1, 2400)} {city.Streets[random.Next(city.Streets.Length)]}";

            var organizations = new List<(string, ParticipationRole)>();
            var organizationCount = 1 + random.Next(4);
            var chosen = new HashSet<int>();
            while (chosen.Count < organizationCount)
            {
                chosen.Add(random.Next(OrganizationNames.Length));
            }

            foreach (var index in chosen)
            {
                var role = organizations.Count == 0 ? ParticipationRole.Host : ExtraRoles[random.Next(ExtraRoles.Length)];
                organizations.Add((OrganizationNames[index], role));
            }

            var speakers = new List<(string, string?, string?)>();
            if (kind is EventKind.Rally or EventKind.Panel or EventKind.Assembly or EventKind.TeachIn or EventKind.Conference)
            {
                for (var s = random.Next(4); s > 0; s--)
                {
                    speakers.Add(($"{Authors[random.Next(1, Authors.Length)]} {s}", random.Next(2) == 0 ? "Chair" : null, OrganizationNames[random.Next(OrganizationNames.Length)]));
                }
            }

            var tags = Enumerable.Range(0, 1 + random.Next(4)).Select(_ => Tags[random.Next(Tags.Length)]).Distinct().ToList();
            var demands = Enumerable.Range(0, random.Next(5)).Select(_ => Demands[random.Next(Demands.Length)]).Distinct().ToList();
            var sources = Enumerable.Range(0, 1 + random.Next(2)).Select(s => Source(random, day, s)).ToList();

            Guid? parent = null;
            if (kind is EventKind.Panel or EventKind.Workshop && assemblies.Count > 0 && random.Next(3) > 0)
            {
                parent = assemblies[random.Next(Math.Max(0, assemblies.Count - 20), assemblies.Count)];
            }
            else if (kind is EventKind.Assembly or EventKind.Conference)
            {
                assemblies.Add(id);
            }

            var created = new DateTimeOffset(day.AddDays(-random.Next(1, 60)).ToDateTime(new TimeOnly(random.Next(24), random.Next(60))), TimeSpan.Zero);
            var status = random.Next(100) switch
            {
                < 92 => EventStatus.Scheduled,
                < 97 => EventStatus.Cancelled,
                _ => EventStatus.Postponed,
            };

            events.Add(new FeedEvent(
                id,
                $"{day:yyyy-MM-dd}-{Slug(city.Name)}-{Slug(title)}-{i}",
                title,
                kind,
                status,
                schedule,
                schedule.Precision is DatePrecision.Week or DatePrecision.Month ? "The source says only \"that spring\"; dated from the poster." : null,
                parent,
                Description(random, title, city.Name),
                online ? null : venue,
                online ? null : address,
                online ? null : city.Name,
                online ? null : city.Region,
                online ? null : city.CountryCode,
                online ? null : city.Latitude + (random.NextDouble() - 0.5) / 20,
                online ? null : city.Longitude + (random.NextDouble() - 0.5) / 20,
                online ? $"https://meet.example.org/{Slug(cause)}-{i}" : null,
                organizations,
                speakers,
                random.Next(4) == 0 ? new Attendance(random.Next(20, 5000), "several hundred, according to the organizers") : null,
                tags,
                demands,
                sources,
                random.Next(4),
                created,
                created.AddDays(random.Next(0, 30)).AddMinutes(random.Next(1440))));
        }

        // The handler reads events ordered by sort instant, then id.
        return [.. events.OrderBy(e => e.Schedule.SortAt).ThenBy(e => e.Id)];
    }

    private static EventSchedule Schedule(Random random, EventKind kind, DateOnly day, string zone)
    {
        if (kind is EventKind.Assembly or EventKind.Conference)
        {
            return EventSchedule.AllDayRange(day, day.AddDays(random.Next(1, 4)), zone);
        }

        var roll = random.Next(100);
        if (roll < 30)
        {
            var precision = roll < 3 ? DatePrecision.Month : roll < 6 ? DatePrecision.Week : DatePrecision.Day;
            return precision switch
            {
                DatePrecision.Month => EventSchedule.AllDayRange(new DateOnly(day.Year, day.Month, 1), new DateOnly(day.Year, day.Month, DateTime.DaysInMonth(day.Year, day.Month)), zone, precision),
                DatePrecision.Week => EventSchedule.AllDayRange(day, day.AddDays(6), zone, precision),
                _ => EventSchedule.AllDayRange(day, day, zone),
            };
        }

        // Daytime starts on the quarter hour never fall in a DST gap.
        var start = day.ToDateTime(new TimeOnly(random.Next(9, 20), 15 * random.Next(4)));
        DateTime? end = random.Next(10) == 0 ? null : start.AddMinutes(30 * random.Next(2, 8));
        return EventSchedule.Timed(start, end, zone);
    }

    private static EventKind PickKind(Random random, int totalWeight)
    {
        var roll = random.Next(totalWeight);
        foreach (var (kind, weight) in Kinds)
        {
            if (roll < weight)
            {
                return kind;
            }

            roll -= weight;
        }

        return EventKind.Other;
    }

    private static string Title(EventKind kind) => kind switch
    {
        EventKind.Rally => "Rally",
        EventKind.Picket => "Picket",
        EventKind.March => "March",
        EventKind.Demonstration => "Demonstration",
        EventKind.Vigil => "Candlelight Vigil",
        EventKind.TeachIn => "Teach-in",
        EventKind.Panel => "Panel",
        EventKind.Workshop => "Workshop",
        EventKind.Assembly => "General Assembly",
        EventKind.Conference => "Conference",
        EventKind.Blockade => "Blockade",
        EventKind.OnlineAction => "Online Day of Action",
        _ => "Community Meeting",
    };

    private static string Description(Random random, string title, string city)
    {
        var text = new System.Text.StringBuilder($"{title} in {city}. ");
        var target = random.Next(200, 600);
        while (text.Length < target)
        {
            text.Append(Sentences[random.Next(Sentences.Length)]).Append(' ');
        }

        return text.ToString().TrimEnd();
    }

    private static SourceDto Source(Random random, DateOnly day, int index)
    {
        var publication = Publications[random.Next(Publications.Length)];
        var quote = Sentences[random.Next(Sentences.Length)] + " " + Sentences[random.Next(Sentences.Length)];
        return new SourceDto(
            $"{Slug(publication)}-{day:yyyy-MM-dd}-{index}.md",
            quote,
            index == 0 ? $"Call to action: {Causes[random.Next(Causes.Length)]}" : null,
            publication,
            random.Next(3) == 0 ? null : Authors[random.Next(Authors.Length)],
            day.AddDays(-random.Next(1, 20)),
            $"https://news.example.org/{day:yyyy/MM}/{random.Next(100000)}");
    }

    private static Guid NewGuid(Random random)
    {
        Span<byte> bytes = stackalloc byte[16];
        random.NextBytes(bytes);
        bytes[7] = (byte)((bytes[7] & 0x0F) | 0x40); // version 4
        bytes[8] = (byte)((bytes[8] & 0x3F) | 0x80); // RFC 4122 variant
        return new Guid(bytes);
    }

    private static string Slug(string text) => Organizer.Application.Common.Slugs.From(text);
}
