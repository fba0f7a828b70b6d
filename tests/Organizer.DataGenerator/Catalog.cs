namespace Organizer.DataGenerator;

/// <summary>A city events happen in: where it is, its IANA zone, and a few of its streets and landmarks.</summary>
internal sealed record City(
    string Name,
    string? Region,
    string CountryCode,
    string Country,
    string TimeZone,
    double Latitude,
    double Longitude,
    int Weight,
    string[] Streets,
    string[] Landmarks);

/// <summary>The words generated records are made of. Invented, but shaped like what grassroots groups publish.</summary>
internal static class Catalog
{
    public static readonly City[] Cities =
    [
        C("Toronto", "Ontario", "CA", "Canada", "America/Toronto", 43.6532, -79.3832, 30,
            "Queen Street West|Bloor Street West|College Street|Spadina Avenue|Dundas Street East|Yonge Street",
            "Nathan Phillips Square|Queen's Park|Matt Cohen Park|Christie Pits|Steelworkers Hall|Grange Park"),
        C("Montréal", "Québec", "CA", "Canada", "America/Toronto", 45.5019, -73.5674, 20,
            "rue Sainte-Catherine Est|boulevard Saint-Laurent|rue Sherbrooke Ouest|avenue du Mont-Royal|rue Ontario Est",
            "Place du Canada|Parc Jarry|Carré Phillips|Place Émilie-Gamelin|Centre St-Pierre"),
        C("Ottawa", "Ontario", "CA", "Canada", "America/Toronto", 45.4215, -75.6972, 12,
            "Wellington Street|Elgin Street|Bank Street|Rideau Street|Somerset Street West",
            "Parliament Hill|Confederation Park|Minto Park|Jack Purcell Community Centre"),
        C("Hamilton", "Ontario", "CA", "Canada", "America/Toronto", 43.2557, -79.8711, 5,
            "King Street East|James Street North|Barton Street East",
            "Gore Park|Hamilton City Hall|Workers Arts and Heritage Centre"),
        C("Québec", "Québec", "CA", "Canada", "America/Toronto", 46.8139, -71.2080, 5,
            "Grande Allée Est|rue Saint-Jean|boulevard Charest Est",
            "Assemblée nationale|Place D'Youville|Parc de l'Amérique-Française"),
        C("Winnipeg", "Manitoba", "CA", "Canada", "America/Winnipeg", 49.8951, -97.1384, 6,
            "Portage Avenue|Main Street|Broadway|Selkirk Avenue",
            "Manitoba Legislative Building|Old Market Square|Winnipeg Union Centre"),
        C("Regina", "Saskatchewan", "CA", "Canada", "America/Regina", 50.4452, -104.6189, 3,
            "Albert Street|Victoria Avenue|Dewdney Avenue",
            "Saskatchewan Legislative Building|Victoria Park"),
        C("Edmonton", "Alberta", "CA", "Canada", "America/Edmonton", 53.5461, -113.4938, 6,
            "Jasper Avenue|Whyte Avenue|107 Street",
            "Alberta Legislature Grounds|Churchill Square|Edmonton Federal Building"),
        C("Vancouver", "British Columbia", "CA", "Canada", "America/Vancouver", 49.2827, -123.1207, 14,
            "Hornby Street|Commercial Drive|East Hastings Street|Main Street|Granville Street",
            "Vancouver Art Gallery North Plaza|Grandview Park|Victory Square|Oppenheimer Park"),
        C("Halifax", "Nova Scotia", "CA", "Canada", "America/Halifax", 44.6488, -63.5752, 4,
            "Barrington Street|Gottingen Street|Spring Garden Road",
            "Grand Parade|Victoria Park|Province House"),
        C("St. John's", "Newfoundland and Labrador", "CA", "Canada", "America/St_Johns", 47.5615, -52.7126, 2,
            "Water Street|Duckworth Street|Harvey Road",
            "Confederation Building|Bannerman Park"),
        C("New York", "New York", "US", "the United States", "America/New_York", 40.7128, -74.0060, 12,
            "Broadway|Fifth Avenue|Lexington Avenue|Atlantic Avenue",
            "Union Square|Foley Square|Washington Square Park|Bryant Park"),
        C("Chicago", "Illinois", "US", "the United States", "America/Chicago", 41.8781, -87.6298, 6,
            "Michigan Avenue|State Street|Milwaukee Avenue",
            "Federal Plaza|Grant Park|Union Park"),
        C("Los Angeles", "California", "US", "the United States", "America/Los_Angeles", 34.0522, -118.2437, 6,
            "Wilshire Boulevard|Broadway|Cesar E. Chavez Avenue",
            "Pershing Square|Los Angeles City Hall|MacArthur Park"),
        C("Ciudad de México", "CDMX", "MX", "Mexico", "America/Mexico_City", 19.4326, -99.1332, 8,
            "Avenida Juárez|Paseo de la Reforma|Calle Madero|Avenida Insurgentes Sur",
            "Zócalo|Monumento a la Revolución|Hemiciclo a Juárez|Ángel de la Independencia"),
        C("La Habana", "La Habana", "CU", "Cuba", "America/Havana", 23.1136, -82.3666, 3,
            "Calle 23|Paseo del Prado|Avenida de los Presidentes",
            "Plaza de la Revolución|Tribuna Antiimperialista"),
        C("Port-au-Prince", "Ouest", "HT", "Haiti", "America/Port-au-Prince", 18.5944, -72.3074, 2,
            "Rue du Centre|Avenue John Brown|Rue Capois",
            "Champ de Mars|Place de la Constitution"),
        C("Bogotá", "Cundinamarca", "CO", "Colombia", "America/Bogota", 4.7110, -74.0721, 7,
            "Carrera Séptima|Avenida Jiménez|Calle 26|Carrera 30",
            "Plaza de Bolívar|Parque Nacional|Universidad Nacional, Plaza Che"),
        C("Caracas", "Distrito Capital", "VE", "Venezuela", "America/Caracas", 10.4806, -66.9036, 4,
            "Avenida Bolívar|Avenida Urdaneta|Avenida Baralt",
            "Plaza Bolívar|Palacio de Miraflores|Plaza O'Leary"),
        C("Lima", "Lima", "PE", "Peru", "America/Lima", -12.0464, -77.0428, 8,
            "Jirón de la Unión|Avenida Abancay|Avenida Nicolás de Piérola|Jirón Lampa",
            "Plaza San Martín|Plaza Dos de Mayo|Parque Universitario|Casa de la Cultura"),
        C("La Paz", "La Paz", "BO", "Bolivia", "America/La_Paz", -16.4897, -68.1193, 4,
            "Avenida 16 de Julio|Calle Comercio|Avenida Camacho",
            "Plaza Murillo|Plaza San Francisco|Plaza del Estudiante"),
        C("Santiago", "Región Metropolitana", "CL", "Chile", "America/Santiago", -33.4489, -70.6693, 5,
            "Avenida Libertador Bernardo O'Higgins|Calle Huérfanos|Avenida Vicuña Mackenna",
            "Plaza Dignidad|Plaza de Armas|Parque Forestal"),
        C("Buenos Aires", "CABA", "AR", "Argentina", "America/Argentina/Buenos_Aires", -34.6037, -58.3816, 7,
            "Avenida de Mayo|Avenida Corrientes|Avenida Rivadavia",
            "Plaza de Mayo|Plaza del Congreso|Obelisco"),
        C("São Paulo", "São Paulo", "BR", "Brazil", "America/Sao_Paulo", -23.5505, -46.6333, 7,
            "Avenida Paulista|Rua da Consolação|Avenida Ipiranga",
            "MASP, Avenida Paulista|Praça da Sé|Largo da Batata"),
        C("London", null, "GB", "Britain", "Europe/London", 51.5072, -0.1276, 12,
            "Whitehall|Red Lion Square|Euston Road|Mile End Road|Old Kent Road",
            "Trafalgar Square|Parliament Square|Conway Hall|Russell Square"),
        C("Dublin", "Leinster", "IE", "Ireland", "Europe/Dublin", 53.3498, -6.2603, 4,
            "O'Connell Street|Dame Street|Parnell Square",
            "Garden of Remembrance|Liberty Hall|Merrion Square"),
        C("Paris", "Île-de-France", "FR", "France", "Europe/Paris", 48.8566, 2.3522, 9,
            "boulevard du Temple|rue de Rivoli|avenue de la République|boulevard Voltaire",
            "Place de la République|Place de la Bastille|Bourse du Travail|Place de la Nation"),
        C("Bruxelles", "Bruxelles-Capitale", "BE", "Belgium", "Europe/Brussels", 50.8503, 4.3517, 4,
            "Rue de la Loi|Boulevard Anspach|Rue Haute",
            "Gare du Nord|Place Schuman|Mont des Arts"),
        C("Berlin", "Berlin", "DE", "Germany", "Europe/Berlin", 52.5200, 13.4050, 9,
            "Karl-Marx-Allee|Oranienstraße|Unter den Linden|Gneisenaustraße|Sonnenallee",
            "Alexanderplatz|Oranienplatz|Brandenburger Tor|Rotes Rathaus|Mehringhof"),
        C("Madrid", "Comunidad de Madrid", "ES", "Spain", "Europe/Madrid", 40.4168, -3.7038, 6,
            "Gran Vía|Calle de Alcalá|Calle de Atocha",
            "Puerta del Sol|Plaza de Cibeles|Plaza de Callao"),
        C("Lisboa", "Lisboa", "PT", "Portugal", "Europe/Lisbon", 38.7223, -9.1393, 3,
            "Avenida da Liberdade|Rua Augusta|Avenida Almirante Reis",
            "Praça do Comércio|Largo do Carmo|Praça Martim Moniz"),
        C("Roma", "Lazio", "IT", "Italy", "Europe/Rome", 41.9028, 12.4964, 5,
            "Via Nazionale|Via dei Fori Imperiali|Via Cavour",
            "Piazza della Repubblica|Piazza San Giovanni|Piazza Santi Apostoli"),
        C("Athína", "Attica", "GR", "Greece", "Europe/Athens", 37.9838, 23.7275, 4,
            "Panepistimiou|Stadiou|Patission",
            "Syntagma Square|Propylaia|Omonia Square"),
        C("Beirut", "Beirut", "LB", "Lebanon", "Asia/Beirut", 33.8938, 35.5018, 2,
            "Hamra Street|Bliss Street|Damascus Road",
            "Martyrs' Square|Riad Al Solh Square"),
        C("Ramallah", "West Bank", "PS", "Palestine", "Asia/Hebron", 31.9038, 35.2034, 2,
            "Al-Irsal Street|Rukab Street|Main Street",
            "Al-Manara Square|Yasser Arafat Square"),
        C("Johannesburg", "Gauteng", "ZA", "South Africa", "Africa/Johannesburg", -26.2041, 28.0473, 5,
            "Jeppe Street|Rissik Street|Bree Street|Commissioner Street",
            "Mary Fitzgerald Square|Library Gardens|Cosatu House|Constitution Hill"),
        C("Nairobi", "Nairobi County", "KE", "Kenya", "Africa/Nairobi", -1.2921, 36.8219, 3,
            "Moi Avenue|Kenyatta Avenue|Tom Mboya Street",
            "Uhuru Park|Jeevanjee Gardens|Kamukunji Grounds"),
        C("Lagos", "Lagos State", "NG", "Nigeria", "Africa/Lagos", 6.5244, 3.3792, 3,
            "Awolowo Road|Herbert Macaulay Way|Broad Street",
            "Ojota Freedom Park|Tafawa Balewa Square"),
        C("Dakar", "Dakar", "SN", "Senegal", "Africa/Dakar", 14.7167, -17.4677, 2,
            "Avenue Cheikh Anta Diop|Boulevard de la République|Avenue Blaise Diagne",
            "Place de l'Obélisque|Place de l'Indépendance"),
        C("New Delhi", "Delhi", "IN", "India", "Asia/Kolkata", 28.6139, 77.2090, 5,
            "Sansad Marg|Janpath|Barakhamba Road",
            "Jantar Mantar|Ramlila Maidan|India Gate lawns"),
        C("Kathmandu", "Bagmati", "NP", "Nepal", "Asia/Kathmandu", 27.7172, 85.3240, 2,
            "Durbar Marg|New Road|Putalisadak",
            "Maitighar Mandala|Basantapur Durbar Square"),
        C("Dhaka", "Dhaka Division", "BD", "Bangladesh", "Asia/Dhaka", 23.8103, 90.4125, 3,
            "Topkhana Road|Kazi Nazrul Islam Avenue|Mirpur Road",
            "Shaheed Minar|National Press Club|Shahbag"),
        C("Manila", "Metro Manila", "PH", "the Philippines", "Asia/Manila", 14.5995, 120.9842, 7,
            "España Boulevard|Recto Avenue|Taft Avenue|Commonwealth Avenue",
            "Liwasang Bonifacio|Mendiola Peace Arch|Plaza Miranda|Welcome Rotonda"),
        C("Jakarta", "DKI Jakarta", "ID", "Indonesia", "Asia/Jakarta", -6.2088, 106.8456, 4,
            "Jalan M.H. Thamrin|Jalan Sudirman|Jalan Medan Merdeka Barat",
            "Bundaran HI|Patung Kuda|Taman Ismail Marzuki"),
        C("Seoul", null, "KR", "Korea", "Asia/Seoul", 37.5665, 126.9780, 4,
            "Sejong-daero|Jong-ro|Eulji-ro",
            "Gwanghwamun Square|Seoul Plaza|Yeouido Park"),
        C("Tokyo", null, "JP", "Japan", "Asia/Tokyo", 35.6762, 139.6503, 3,
            "Sotobori-dori|Meiji-dori|Aoyama-dori",
            "Hibiya Park|Shinjuku Station West Exit|Yoyogi Park"),
        C("Sydney", "New South Wales", "AU", "Australia", "Australia/Sydney", -33.8688, 151.2093, 5,
            "George Street|Elizabeth Street|King Street, Newtown",
            "Sydney Town Hall|Hyde Park|Belmore Park"),
        C("Auckland", null, "NZ", "New Zealand", "Pacific/Auckland", -36.8485, 174.7633, 2,
            "Queen Street|Karangahape Road|Symonds Street",
            "Aotea Square|Britomart|Albert Park"),
    ];

    public static readonly string[] Causes =
    [
        "Peace", "Tenants' Rights", "Public Transit", "Migrant Justice", "Climate Justice", "Workers' Rights", "Democracy in Bolivia",
        "Palestine", "Affordable Housing", "Water Justice", "Free Education", "Indigenous Sovereignty", "Public Health Care",
        "a Living Wage", "Status for All", "Land Back", "Cuba", "Venezuela", "Haiti", "the Philippines", "Pay Equity",
        "Child Care", "Disability Justice", "Press Freedom", "Political Prisoners", "Farmworkers", "Nurses", "Transit Workers",
    ];

    public static readonly string[] Issues =
    [
        "the War Budget", "the Blockade of Cuba", "Sanctions", "Rent Hikes", "Renovictions", "the Pipeline", "Deportations",
        "Police Violence", "Privatization", "Tuition Increases", "Back-to-Work Legislation", "the Coup", "Foreign Intervention",
        "the Arms Trade", "Cuts to Public Services", "the Mining Law", "Austerity", "Union Busting",
    ];

    public static readonly string[] Topics =
    [
        "The History of the Labour Movement", "Imperialism Today", "How Tenant Unions Win", "The Climate Crisis and the Global South",
        "Organizing Migrant Workers", "Media and War", "Land, Water and Sovereignty", "Women in the Struggle", "Youth and Precarious Work",
        "Building a Peace Movement", "Lessons from Latin America", "Public Transit as a Right", "Housing Is a Human Right",
    ];

    public static readonly string[] Skills =
    [
        "Door-Knocking", "Banner Making", "Know Your Rights", "Media Training", "Facilitation", "Fundraising for Small Groups",
        "Digital Security", "Building a Phone Tree", "Writing a Press Release", "Marshal Training",
    ];

    public static readonly string[] Targets =
    [
        "the Consulate of the United States", "the Ministry of Labour", "City Hall", "the Head Office of the Landlord", "the Mine's Head Office",
        "the Office of the Prime Minister", "the Bank's Head Office", "the Arms Fair", "the Port",
    ];

    public static readonly string[] Demands =
    [
        "End the blockade now", "Withdraw from NATO", "Rent control for every unit", "Status for all",
        "A living wage of $25 an hour", "Stop the deportations", "No new pipelines on unceded land", "Free public transit",
        "Respect the results of the election", "Release all political prisoners", "Fund public health care, not war", "Land back",
        "Hands off Venezuela", "Defend the right to strike", "Ceasefire now", "Repeal the anti-union law", "Cancel the debt",
        "Public housing, not luxury condos", "Lift the sanctions", "Justice for the victims",
    ];

    public static readonly string[] Tags =
    [
        "peace", "labour", "housing", "climate", "anti-imperialism", "solidarity", "migrant-justice", "indigenous-sovereignty",
        "palestine", "latin-america", "women", "youth", "anti-racism", "health-care", "transit", "water", "education", "cuba",
        "philippines", "africa", "students", "pensions", "environment", "free-speech",
    ];

    public static readonly string[] Sentences =
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
        "The union says the employer has refused to return to the bargaining table since the strike vote.",
        "Tenants in three buildings have been on rent strike since the landlord applied for an above-guideline increase.",
        "Messages of solidarity were read from sister organizations abroad.",
        "Ang pagkilos ay bahagi ng pambansang araw ng protesta.",
    ];

    public static readonly string[] Publications =
    [
        "People's Voice", "Toronto Star", "rabble.ca", "La Jornada", "nd — Der Tag", "Bulatlat", "Daily Maverick", "Morning Star",
        "Le Devoir", "Página/12", "The Hindu", "Mondoweiss", "Basics Community News", "Spring Magazine", "Peoples Dispatch",
    ];

    public static readonly string[] FirstNames =
    [
        "Maria", "José", "Aisha", "Chen", "Liam", "Fatima", "Nguyen", "Olga", "Kwame", "Sofia", "Ahmed", "Isabel", "Tomás", "Priya",
        "Marie-Ève", "Jean", "Amaru", "Lucía", "Yusuf", "Hannah", "Kofi", "Rosa", "Dmitri", "Leila", "Mateo", "Grace", "Ravi", "Ana",
    ];

    public static readonly string[] Surnames =
    [
        "Santos", "Tremblay", "Nkosi", "Chen", "Figueroa", "Weber", "O'Brien", "Haddad", "Mendoza", "Singh", "Okafor", "Kowalski",
        "Reyes", "Gagnon", "Cohen", "Mahmoud", "Quispe", "Park", "Dubois", "Mwangi", "García", "Novak", "Bautista", "Lévesque",
    ];

    public static readonly string[] SpeakerRoles =
        ["President", "General Secretary", "Spokesperson", "Organizer", "Chair", "Executive Director", "Coordinator", "Member of Parliament"];

    /// <summary>Groups an organization can be: the kind (as the enum's name) and how its name is phrased.</summary>
    public static readonly (string Kind, string[] Patterns)[] OrganizationShapes =
    [
        ("Party", ["Communist Party of {country}", "{adj} Workers' Party", "Party of Labour of {country}", "Socialist Party of {country}"]),
        ("Union", ["{trade} Union Local {n}", "{city} and District Labour Council", "{country} Union of {trade} Workers", "{trade} Workers United, {city}"]),
        ("Network", ["{cause} Network", "{region} Solidarity Network", "Network for {cause}", "{city} {cause} Network"]),
        ("YouthLeague", ["Young Communist League of {country}", "{adj} Youth League", "{city} Youth for {cause}"]),
        ("Alliance", ["Alliance for {cause}", "{city} Alliance Against {issue}", "{adj} People's Alliance"]),
        ("StudentGroup", ["{city} Students for {cause}", "Students Against {issue}, {city}", "{adj} Students' Union"]),
        ("Ngo", ["{cause} Centre", "{city} Legal Clinic for {cause}", "Institute for {cause}"]),
        ("Movement", ["{city} Movement for {cause}", "{adj} Movement", "Committee for {cause}", "{city} Tenants Union", "{city} Committee Against {issue}"]),
        ("Government", ["City of {city}", "Consulate of {country} in {city}"]),
        ("Other", ["{city} {cause} Coalition", "Friends of {country}", "{city} Peace Council", "{city} Solidarity Committee"]),
    ];

    public static readonly string[] Saints =
        ["St. Paul's", "St. Andrew's", "St. Mary's", "St. James", "St. John's", "Ste-Brigide", "San Francisco", "St. Stephen's", "Holy Trinity"];

    public static readonly string[] Adjectives =
        ["United", "Revolutionary", "Progressive", "Democratic", "Popular", "Independent", "New", "Free", "Red", "Green", "Working People's"];

    public static readonly string[] Trades =
        ["Transit", "Postal", "Health Care", "Teachers'", "Steel", "Hotel", "Garment", "Farm", "Food and Commercial", "Public Service", "Nurses'", "Dock"];

    public static readonly string[] Regions =
        ["Latin American and Caribbean", "Pan-African", "Asia-Pacific", "Arab", "Filipino", "Andean", "Mediterranean", "Nordic", "Central American"];

    public static readonly string[] VenuePatterns =
    [
        "{street} Community Centre", "{surname} Park", "{surname} Public Library", "{saint} Church Hall", "{trade} Union Hall", "University of {city}, {surname} Hall", "Consulate of {country}",
        "Office of MP {first} {surname}", "{surname} Square", "{city} Labour Temple", "{street} and {street2}",
    ];

    private static City C(
        string name, string? region, string countryCode, string country, string zone, double lat, double lon, int weight, string streets, string landmarks) =>
        new(name, region, countryCode, country, zone, lat, lon, weight, streets.Split('|'), landmarks.Split('|'));
}
