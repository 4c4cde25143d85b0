using Engagements.Data;
using Engagements.Demo;

var builder = WebApplication.CreateBuilder(DemoData.ExpandSwitch(args));

builder.AddDatabase();
builder.AddDemoData();

var app = builder.Build();

app.MapHealthEndpoints();

app.Run();

public partial class Program;
